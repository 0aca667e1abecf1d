// A loop device attached to an image file. Attached with LO_FLAGS_AUTOCLEAR:
// the kernel detaches it when the last user goes, so once the image is
// mounted, closing our fd hands its lifetime to the mount.
#ifndef LIBCONTAINER_LOOP_DEVICE_H_
#define LIBCONTAINER_LOOP_DEVICE_H_

#include <sys/types.h>

#include <string>

#include "absl/status/statusor.h"
#include "minijail-shim/base/scoped_fd.h"

namespace libcontainer {

class LoopDevice {
 public:
  // Finds a free device (LOOP_CTL_GET_FREE) and configures it in one step
  // (LOOP_CONFIGURE), retrying when another process takes the same device.
  static absl::StatusOr<LoopDevice> Attach(const std::string& image,
                                           bool read_only);

  LoopDevice(LoopDevice&&) = default;
  LoopDevice& operator=(LoopDevice&&) = default;
  // Closing the fd detaches the device unless something mounted it.
  ~LoopDevice() = default;

  const std::string& path() const { return path_; }  // "/dev/loopN"
  // The block device number, for the container's devices cgroup: mounting
  // from inside the cgroup needs access to the device.
  dev_t dev() const { return dev_; }

 private:
  LoopDevice(std::string path, base::ScopedFd fd, dev_t dev)
      : path_(std::move(path)), fd_(std::move(fd)), dev_(dev) {}
  std::string path_;
  base::ScopedFd fd_;
  dev_t dev_ = 0;
};

}  // namespace libcontainer

#endif  // LIBCONTAINER_LOOP_DEVICE_H_
