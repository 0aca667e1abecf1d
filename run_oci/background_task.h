// One fallible function run on a thread of its own, so that its blocking
// (file system writes, mostly) overlaps with the caller's work.
#ifndef RUN_OCI_BACKGROUND_TASK_H_
#define RUN_OCI_BACKGROUND_TASK_H_

#include <pthread.h>

#include <functional>

#include "absl/status/status.h"

namespace run_oci {

class BackgroundTask {
 public:
  // Starts `task`; when no thread can be made, runs it here and now.
  explicit BackgroundTask(std::function<absl::Status()> task);
  // Joins: the task never outlives what it captured by reference.
  ~BackgroundTask();
  BackgroundTask(const BackgroundTask&) = delete;
  BackgroundTask& operator=(const BackgroundTask&) = delete;

  // Waits for the task (once; later calls return the same status).
  absl::Status Wait();

 private:
  static void* Run(void* self);

  std::function<absl::Status()> task_;
  absl::Status status_;
  pthread_t thread_;
  bool joinable_ = false;
};

}  // namespace run_oci

#endif  // RUN_OCI_BACKGROUND_TASK_H_
