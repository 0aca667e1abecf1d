#include "minijail-shim/exec_format.h"

#include <elf.h>
#include <errno.h>
#include <unistd.h>

#include <cstring>

#include "absl/strings/str_cat.h"
#include "minijail-shim/base/status_macros.h"

namespace shim {
namespace {

// The kernel reads at most this much of a "#!" line (BINPRM_BUF_SIZE).
constexpr size_t kScriptLineMax = 256;
// No real program has more; a bound keeps a hostile header cheap.
constexpr uint32_t kMaxProgramHeaders = 4096;
constexpr size_t kMaxInterpreterPath = 4096;

std::string ScriptInterpreter(absl::string_view head) {
  head.remove_prefix(2);  // "#!"
  const size_t end = head.find('\n');
  if (end != absl::string_view::npos) head = head.substr(0, end);
  const size_t start = head.find_first_not_of(" \t");
  if (start == absl::string_view::npos) return "";
  head.remove_prefix(start);
  return std::string(head.substr(0, head.find_first_of(" \t")));
}

// Elf32/Elf64 through one template: the two differ only in field widths.
template <typename Ehdr, typename Phdr>
absl::StatusOr<ExecInfo> ClassifyElf(const ReadAt& read_at,
                                     absl::string_view head) {
  ExecInfo info;
  if (head.size() < sizeof(Ehdr)) return info;  // kOther: truncated
  Ehdr ehdr;
  memcpy(&ehdr, head.data(), sizeof(ehdr));
  if (ehdr.e_phentsize != sizeof(Phdr) || ehdr.e_phnum > kMaxProgramHeaders) {
    return info;
  }
  ASSIGN_OR_RETURN(std::string table,
                   read_at(ehdr.e_phoff, size_t{ehdr.e_phnum} * sizeof(Phdr)));
  if (table.size() != size_t{ehdr.e_phnum} * sizeof(Phdr)) return info;
  info.format = ExecFormat::kStaticElf;
  for (uint32_t i = 0; i < ehdr.e_phnum; ++i) {
    Phdr phdr;
    memcpy(&phdr, table.data() + i * sizeof(Phdr), sizeof(phdr));
    if (phdr.p_type != PT_INTERP) continue;
    info.format = ExecFormat::kDynamicElf;
    const size_t size = phdr.p_filesz < kMaxInterpreterPath
                            ? static_cast<size_t>(phdr.p_filesz)
                            : kMaxInterpreterPath;
    ASSIGN_OR_RETURN(std::string path, read_at(phdr.p_offset, size));
    info.interpreter = path.substr(0, path.find('\0'));
    break;
  }
  return info;
}

}  // namespace

absl::StatusOr<ExecInfo> ClassifyExecutableBytes(const ReadAt& read_at) {
  absl::StatusOr<std::string> first = read_at(0, kScriptLineMax);
  if (!first.ok()) return first.status();
  const std::string& head = *first;
  if (head.size() >= 2 && head[0] == '#' && head[1] == '!') {
    return ExecInfo{ExecFormat::kScript, ScriptInterpreter(head)};
  }
  if (head.size() < EI_NIDENT || memcmp(head.data(), ELFMAG, SELFMAG) != 0) {
    return ExecInfo{};
  }
  // Only the byte order the kernel runs: anything else cannot execute here.
  const unsigned char native =
      __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? ELFDATA2LSB : ELFDATA2MSB;
  if (static_cast<unsigned char>(head[EI_DATA]) != native) return ExecInfo{};
  switch (head[EI_CLASS]) {
    case ELFCLASS64:
      return ClassifyElf<Elf64_Ehdr, Elf64_Phdr>(read_at, head);
    case ELFCLASS32:
      return ClassifyElf<Elf32_Ehdr, Elf32_Phdr>(read_at, head);
    default:
      return ExecInfo{};
  }
}

absl::StatusOr<ExecInfo> ClassifyExecutable(int fd) {
  return ClassifyExecutableBytes(
      [fd](uint64_t offset, size_t size) -> absl::StatusOr<std::string> {
        std::string out(size, '\0');
        size_t done = 0;
        while (done < size) {
          const ssize_t n = pread(fd, out.data() + done, size - done,
                                  static_cast<off_t>(offset + done));
          if (n < 0 && errno == EINTR) continue;
          if (n < 0) {
            return absl::InternalError(
                absl::StrCat("pread: ", strerror(errno)));
          }
          if (n == 0) break;
          done += static_cast<size_t>(n);
        }
        out.resize(done);
        return out;
      });
}

}  // namespace shim
