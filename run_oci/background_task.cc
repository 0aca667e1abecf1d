#include "run_oci/background_task.h"

#include <utility>

namespace run_oci {

BackgroundTask::BackgroundTask(std::function<absl::Status()> task)
    : task_(std::move(task)) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  // The tasks are shallow; a small stack keeps the mapping cheap.
  pthread_attr_setstacksize(&attr, 256 * 1024);
  joinable_ = pthread_create(&thread_, &attr, &BackgroundTask::Run, this) == 0;
  pthread_attr_destroy(&attr);
  if (!joinable_) status_ = task_();
}

BackgroundTask::~BackgroundTask() { (void)Wait(); }

void* BackgroundTask::Run(void* self) {
  auto* task = static_cast<BackgroundTask*>(self);
  task->status_ = task->task_();
  return nullptr;
}

absl::Status BackgroundTask::Wait() {
  if (joinable_) {
    pthread_join(thread_, nullptr);
    joinable_ = false;
  }
  return status_;
}

}  // namespace run_oci
