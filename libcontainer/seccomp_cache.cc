#include "libcontainer/seccomp_cache.h"

#include <dirent.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <seccomp.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "minijail-shim/base/errno_status.h"

namespace libcontainer {
namespace {

// The key below names every member; a new member changes these sizes and
// must be added to it (or two policies differing only there would share
// one filter).
static_assert(sizeof(shim::SeccompArg) == 56, "update AppendPolicy");
static_assert(sizeof(shim::SeccompRule) == 88, "update AppendPolicy");
static_assert(sizeof(shim::SeccompPolicy) == 176, "update AppendPolicy");

constexpr char kMagic[] = "run_oci seccomp cache 1\n";
// The kernel takes at most BPF_MAXINSNS (4096) instructions per filter; a
// key is the policy's text, well under this for any real profile.
constexpr size_t kMaxInsns = 4096;
constexpr size_t kMaxKey = 1 << 20;

// Length-prefixed, so that no two different values read the same.
void AppendString(std::string* out, const std::string& s) {
  absl::StrAppend(out, s.size(), ":", s, ";");
}

void AppendErrno(std::string* out, const std::optional<uint32_t>& v) {
  absl::StrAppend(out, v.has_value() ? absl::StrCat("+", *v) : "-", ";");
}

void AppendPolicy(std::string* out, const shim::SeccompPolicy& p) {
  AppendString(out, p.default_action);
  AppendErrno(out, p.default_errno_ret);
  absl::StrAppend(out, "arch", p.architectures.size(), ";");
  for (const std::string& a : p.architectures) AppendString(out, a);
  absl::StrAppend(out, "flags", p.flags.size(), ";");
  for (const std::string& f : p.flags) AppendString(out, f);
  AppendString(out, p.listener_path);
  AppendString(out, p.listener_metadata);
  absl::StrAppend(out, "rules", p.syscalls.size(), ";");
  for (const shim::SeccompRule& r : p.syscalls) {
    absl::StrAppend(out, "names", r.names.size(), ";");
    for (const std::string& n : r.names) AppendString(out, n);
    AppendString(out, r.action);
    AppendErrno(out, r.errno_ret);
    absl::StrAppend(out, "args", r.args.size(), ";");
    for (const shim::SeccompArg& a : r.args) {
      absl::StrAppend(out, a.index, ",", a.value, ",", a.value_two, ",");
      AppendString(out, a.op);
    }
  }
}

int FindBuildId(struct dl_phdr_info* info, size_t, void* data) {
  // The first object is the executable itself.
  auto* out = static_cast<std::string*>(data);
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_NOTE) continue;
    const char* p = reinterpret_cast<const char*>(info->dlpi_addr + ph.p_vaddr);
    const char* end = p + ph.p_memsz;
    while (p + sizeof(ElfW(Nhdr)) <= end) {
      const auto* note = reinterpret_cast<const ElfW(Nhdr)*>(p);
      const char* name = p + sizeof(ElfW(Nhdr));
      const char* desc = name + ((note->n_namesz + 3) & ~3u);
      const char* next = desc + ((note->n_descsz + 3) & ~3u);
      if (next > end) break;
      if (note->n_type == NT_GNU_BUILD_ID && note->n_namesz == 4 &&
          memcmp(name, "GNU", 4) == 0 && note->n_descsz > 0) {
        *out = absl::BytesToHexString(absl::string_view(desc, note->n_descsz));
        return 1;
      }
      p = next;
    }
  }
  return 1;
}

const std::string& BuildId() {
  static const std::string* id = [] {
    auto* s = new std::string();
    dl_iterate_phdr(FindBuildId, s);
    return s;
  }();
  return *id;
}

// 64-bit FNV-1a: names the file; the key inside decides.
uint64_t Fnv1a(const std::string& s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

// `len` bytes through read(2) or write(2), again after EINTR and short
// transfers; false on an error or end of file.
template <typename Byte, typename Io>
bool TransferAll(Io io, int fd, Byte* p, size_t len) {
  while (len > 0) {
    ssize_t n = io(fd, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    len -= static_cast<size_t>(n);
  }
  return true;
}

bool ReadAll(int fd, void* buf, size_t len) {
  return TransferAll(read, fd, static_cast<char*>(buf), len);
}

bool WriteAll(int fd, const void* buf, size_t len) {
  return TransferAll(write, fd, static_cast<const char*>(buf), len);
}

// Entry layout: magic, key length (u64), key, flags (u32), instruction
// count (u32), instructions. Anything else is a miss.
struct Header {
  uint32_t flags;
  uint32_t insns;
};

bool Lookup(int dir_fd, const std::string& name, const std::string& key,
            shim::CompiledSeccomp* out) {
  base::ScopedFd fd(
      openat(dir_fd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) return false;
  struct stat st;
  if (fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) ||
      st.st_uid != geteuid() || (st.st_mode & 022) != 0 || st.st_nlink != 1) {
    return false;
  }
  const size_t fixed = sizeof(kMagic) - 1 + sizeof(uint64_t) + sizeof(Header);
  if (static_cast<size_t>(st.st_size) < fixed + key.size()) return false;
  std::string magic(sizeof(kMagic) - 1, '\0');
  uint64_t key_len = 0;
  if (!ReadAll(fd.get(), magic.data(), magic.size()) || magic != kMagic ||
      !ReadAll(fd.get(), &key_len, sizeof(key_len)) || key_len != key.size()) {
    return false;
  }
  std::string stored(key.size(), '\0');
  Header header;
  if (!ReadAll(fd.get(), stored.data(), stored.size()) || stored != key ||
      !ReadAll(fd.get(), &header, sizeof(header)) || header.insns == 0 ||
      header.insns > kMaxInsns ||
      static_cast<size_t>(st.st_size) !=
          fixed + key.size() + header.insns * sizeof(sock_filter)) {
    return false;
  }
  std::vector<sock_filter> program(header.insns);
  if (!ReadAll(fd.get(), program.data(),
               program.size() * sizeof(sock_filter))) {
    return false;
  }
  out->program = std::move(program);
  out->flags = header.flags;
  return true;
}

bool DirIsFull(int dir_fd) {
  int dup_fd = openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dup_fd < 0) return true;
  DIR* dir = fdopendir(dup_fd);
  if (dir == nullptr) {
    close(dup_fd);
    return true;
  }
  int entries = 0;
  while (dirent* e = readdir(dir)) {
    if (e->d_name[0] != '.') ++entries;
  }
  closedir(dir);
  return entries >= kMaxSeccompCacheEntries;
}

// Written under a temporary name and renamed into place, so that a reader
// sees a whole entry or none; failures leave no file.
void Store(int dir_fd, const std::string& name, const std::string& key,
           const shim::CompiledSeccomp& compiled) {
  if (compiled.program.empty() || compiled.program.size() > kMaxInsns ||
      DirIsFull(dir_fd)) {
    return;
  }
  const std::string tmp = absl::StrCat(".tmp.", getpid(), ".", name);
  base::ScopedFd fd(openat(dir_fd, tmp.c_str(),
                           O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                           0600));
  if (!fd) return;
  const uint64_t key_len = key.size();
  const Header header{compiled.flags,
                      static_cast<uint32_t>(compiled.program.size())};
  std::string data(kMagic, sizeof(kMagic) - 1);
  data.append(reinterpret_cast<const char*>(&key_len), sizeof(key_len));
  data.append(key);
  data.append(reinterpret_cast<const char*>(&header), sizeof(header));
  data.append(reinterpret_cast<const char*>(compiled.program.data()),
              compiled.program.size() * sizeof(sock_filter));
  const bool written = WriteAll(fd.get(), data.data(), data.size());
  fd.reset();
  if (!written || renameat(dir_fd, tmp.c_str(), dir_fd, name.c_str()) != 0) {
    unlinkat(dir_fd, tmp.c_str(), 0);
  }
}

}  // namespace

absl::StatusOr<base::ScopedFd> OpenSeccompCacheDir(const std::string& parent) {
  const std::string path = absl::StrCat(parent, "/", kSeccompCacheDirName);
  if (mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) {
    return base::ErrnoStatus(errno,
                             absl::StrCat("seccomp cache: mkdir ", path));
  }
  base::ScopedFd fd(
      open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd)
    return base::ErrnoStatus(errno, absl::StrCat("seccomp cache: ", path));
  struct stat st;
  if (fstat(fd.get(), &st) != 0) {
    return base::ErrnoStatus(errno,
                             absl::StrCat("seccomp cache: fstat ", path));
  }
  if (st.st_uid != geteuid() || (st.st_mode & 022) != 0) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "seccomp cache: %s: owned by uid %d with mode %o, not by uid %d and "
        "writable by it alone",
        path, st.st_uid, st.st_mode & 07777, geteuid()));
  }
  return fd;
}

std::string SeccompCacheKey(const shim::SeccompPolicy& policy) {
  if (BuildId().empty()) return "";
  const scmp_version* version = seccomp_version();
  struct utsname uts;
  if (uname(&uts) != 0) return "";
  std::string key =
      absl::StrCat("build ", BuildId(), "\nlibseccomp ", version->major, ".",
                   version->minor, ".", version->micro, " api ",
                   seccomp_api_get(), "\nkernel ", uts.release, "\npolicy ");
  AppendPolicy(&key, policy);
  return key;
}

absl::StatusOr<shim::CompiledSeccomp> CompileSeccompCached(
    const shim::SeccompPolicy& policy, int cache_dir_fd) {
  if (cache_dir_fd < 0) return shim::CompileSeccomp(policy);
  const std::string key = SeccompCacheKey(policy);
  if (key.empty() || key.size() > kMaxKey) return shim::CompileSeccomp(policy);
  const std::string name = absl::StrFormat("%016x", Fnv1a(key));
  shim::CompiledSeccomp cached;
  if (Lookup(cache_dir_fd, name, key, &cached)) return cached;
  absl::StatusOr<shim::CompiledSeccomp> compiled = shim::CompileSeccomp(policy);
  if (compiled.ok()) Store(cache_dir_fd, name, key, *compiled);
  return compiled;
}

}  // namespace libcontainer
