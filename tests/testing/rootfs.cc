#include "tests/testing/rootfs.h"

#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "minijail-shim/base/scoped_fd.h"
#include "minijail-shim/base/status_macros.h"
#include "tests/testing/command.h"
#include "tests/testing/temp_dir.h"

namespace ocitest {
namespace {

absl::Status ErrnoStatus(absl::string_view what, const std::string& path) {
  return absl::InternalError(
      absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

absl::Status MakeDirs(const std::string& path) {
  std::string partial;
  for (absl::string_view part : absl::StrSplit(path, '/', absl::SkipEmpty())) {
    absl::StrAppend(&partial, "/", part);
    if (mkdir(partial.c_str(), 0755) != 0 && errno != EEXIST) {
      return ErrnoStatus("mkdir", partial);
    }
  }
  return absl::OkStatus();
}

absl::Status CopyFile(const std::string& from, const std::string& to,
                      mode_t mode) {
  base::ScopedFd in(open(from.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in) return ErrnoStatus("open", from);
  struct stat st;
  if (fstat(in.get(), &st) != 0) return ErrnoStatus("fstat", from);
  base::ScopedFd out(
      open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
  if (!out) return ErrnoStatus("open", to);
  off_t offset = 0;
  while (offset < st.st_size) {
    ssize_t n = sendfile(out.get(), in.get(), &offset, st.st_size - offset);
    if (n <= 0) return ErrnoStatus("sendfile", to);
  }
  if (fchmod(out.get(), mode) != 0) return ErrnoStatus("fchmod", to);
  return absl::OkStatus();
}

}  // namespace

absl::Status MakeBusyboxRootfs(const std::string& dir) {
  for (const char* sub : {"bin", "sbin", "usr/bin", "usr/sbin", "etc", "proc",
                          "sys", "dev", "tmp", "root", "run", "var"}) {
    RETURN_IF_ERROR(MakeDirs(absl::StrCat(dir, "/", sub)));
  }
  if (chmod(absl::StrCat(dir, "/tmp").c_str(), 01777) != 0) {
    return ErrnoStatus("chmod", dir + "/tmp");
  }
  RETURN_IF_ERROR(CopyFile(kHostBusybox, dir + "/bin/busybox", 0755));

  ASSIGN_OR_RETURN(CommandResult list,
                   RunCommand({kHostBusybox, "--list-full"}));
  if (list.exit_code != 0) {
    return absl::InternalError("busybox --list-full failed: " + list.err);
  }
  for (absl::string_view applet :
       absl::StrSplit(list.out, '\n', absl::SkipWhitespace())) {
    if (applet == "bin/busybox") continue;
    std::string link = absl::StrCat(dir, "/", applet);
    if (symlink("/bin/busybox", link.c_str()) != 0 && errno != EEXIST) {
      return ErrnoStatus("symlink", link);
    }
  }
  RETURN_IF_ERROR(WriteFile(dir + "/etc/passwd",
                            "root:x:0:0:root:/root:/bin/sh\n"
                            "nobody:x:65534:65534:nobody:/:/bin/false\n"));
  RETURN_IF_ERROR(WriteFile(dir + "/etc/group",
                            "root:x:0:\n"
                            "nogroup:x:65534:\n"));
  return absl::OkStatus();
}

}  // namespace ocitest
