// What executing a file would load besides the file itself: an ELF
// program's PT_INTERP (the dynamic loader) or a script's "#!" interpreter.
// The kernel opens either by path, in the mount namespace and root of the
// process calling execve, not where the file itself was opened. Spawn uses
// this to refuse running a runtime-namespace hook binary whose loader would
// come from a container's file system (see spawn.h).
#ifndef MINIJAIL_SHIM_EXEC_FORMAT_H_
#define MINIJAIL_SHIM_EXEC_FORMAT_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace shim {

enum class ExecFormat {
  kStaticElf,   // an ELF file without PT_INTERP: nothing else is loaded
  kDynamicElf,  // an ELF file with PT_INTERP
  kScript,      // "#!interpreter"
  kOther,       // anything else (binfmt_misc, a.out, garbage)
};

struct ExecInfo {
  ExecFormat format = ExecFormat::kOther;
  std::string interpreter;  // kDynamicElf and kScript: the path it names
};

// Reads the headers of the open file `fd` (pread; the offset is kept).
absl::StatusOr<ExecInfo> ClassifyExecutable(int fd);

// The same over any reader, pure (unit-tested on byte strings):
// `read_at(offset, size)` returns the bytes there, fewer at the end.
using ReadAt =
    std::function<absl::StatusOr<std::string>(uint64_t offset, size_t size)>;
absl::StatusOr<ExecInfo> ClassifyExecutableBytes(const ReadAt& read_at);

}  // namespace shim

#endif  // MINIJAIL_SHIM_EXEC_FORMAT_H_
