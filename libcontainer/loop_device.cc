#include "libcontainer/loop_device.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "minijail-shim/base/errno_status.h"

namespace libcontainer {
namespace {

constexpr int kAttachAttempts = 16;

}  // namespace

absl::StatusOr<LoopDevice> LoopDevice::Attach(const std::string& image,
                                              bool read_only) {
  int mode = read_only ? O_RDONLY : O_RDWR;
  base::ScopedFd backing(open(image.c_str(), mode | O_CLOEXEC));
  if (!backing) {
    return base::ErrnoStatus(errno,
                             absl::StrCat("loop mount: open image ", image));
  }
  base::ScopedFd control(open("/dev/loop-control", O_RDWR | O_CLOEXEC));
  if (!control)
    return base::ErrnoStatus(errno, "loop mount: open /dev/loop-control");

  for (int attempt = 0; attempt < kAttachAttempts; ++attempt) {
    int n = ioctl(control.get(), LOOP_CTL_GET_FREE);
    if (n < 0) return base::ErrnoStatus(errno, "loop mount: LOOP_CTL_GET_FREE");
    std::string path = absl::StrCat("/dev/loop", n);
    base::ScopedFd loop(open(path.c_str(), mode | O_CLOEXEC));
    if (!loop)
      return base::ErrnoStatus(errno, absl::StrCat("loop mount: open ", path));

    struct loop_config config;
    memset(&config, 0, sizeof(config));
    config.fd = backing.get();
    config.info.lo_flags =
        LO_FLAGS_AUTOCLEAR | (read_only ? LO_FLAGS_READ_ONLY : 0);
    strncpy(reinterpret_cast<char*>(config.info.lo_file_name), image.c_str(),
            LO_NAME_SIZE - 1);
    if (ioctl(loop.get(), LOOP_CONFIGURE, &config) == 0) {
      struct stat st;
      if (fstat(loop.get(), &st) != 0) {
        return base::ErrnoStatus(errno,
                                 absl::StrCat("loop mount: fstat ", path));
      }
      return LoopDevice(std::move(path), std::move(loop), st.st_rdev);
    }
    // EBUSY: another process configured the device we were handed.
    if (errno != EBUSY) {
      return base::ErrnoStatus(
          errno,
          absl::StrCat("loop mount: LOOP_CONFIGURE ", path, " with ", image));
    }
  }
  return absl::ResourceExhaustedError(
      absl::StrCat("loop mount: ", image, ": no free loop device after ",
                   kAttachAttempts, " attempts"));
}

}  // namespace libcontainer
