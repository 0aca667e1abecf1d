// A container's cgroup that already holds processes (issue 9, item 8): a
// shared cgroupsPath, or a cgroup parent and id naming an existing cgroup.
// run_oci used to take such a cgroup as its own, so that teardown
// SIGKILLed the processes already there and removed the cgroup. A
// non-empty cgroup is now refused (as runc does) unless the config asks to
// share it (annotation org.chromium.run_oci.shared_cgroup), and what
// run_oci did not create is never killed nor removed.
//
// The victim is a `sleep` the test starts and moves into cgroup directories
// the test makes (in every hierarchy); the test removes both at the end.
#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/run_oci/e2e_fixture.h"
#include "tests/testing/temp_dir.h"

namespace run_oci_test {
namespace {

constexpr char kShare[] =
    R"(,"annotations":{"org.chromium.run_oci.shared_cgroup":"true"})";

// Every mounted hierarchy root (v1 controllers and cgroup2), one each.
std::vector<std::string> HierarchyRoots() {
  std::vector<std::string> roots;
  DIR* dir = opendir("/sys/fs/cgroup");
  if (dir == nullptr) return roots;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] == '.') continue;
    std::string path = absl::StrCat("/sys/fs/cgroup/", entry->d_name);
    struct stat st;
    if (lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      roots.push_back(path);
    }
  }
  closedir(dir);
  return roots;
}

// A new cpuset takes no tasks until it has cpus and mems.
void InheritCpuset(const std::string& parent, const std::string& dir) {
  for (const char* file : {"/cpuset.cpus", "/cpuset.mems"}) {
    absl::StatusOr<std::string> value = ocitest::ReadFile(parent + file);
    if (value.ok()) (void)ocitest::WriteFile(dir + file, *value);
  }
}

// A sleeping process of the test's in cgroup <root>/<rel> of every
// hierarchy, all made by the test. The destructor kills it and removes
// the directories (deepest first), whatever the test's outcome.
class Victim {
 public:
  explicit Victim(const std::string& rel) {
    for (const std::string& root : HierarchyRoots()) {
      std::string dir = root;
      for (absl::string_view part : absl::StrSplit(rel, '/')) {
        std::string parent = dir;
        dir = absl::StrCat(dir, "/", part);
        if (mkdir(dir.c_str(), 0755) == 0) made_.push_back(dir);
        InheritCpuset(parent, dir);
      }
      leaves_.push_back(dir);
    }
    pid_ = fork();
    if (pid_ == 0) {
      execl("/bin/sleep", "sleep", "1000", nullptr);
      _exit(127);
    }
    for (const std::string& leaf : leaves_) {
      absl::Status moved =
          ocitest::WriteFile(leaf + "/cgroup.procs", absl::StrCat(pid_), 0644);
      if (!moved.ok()) errors_ += std::string(moved.message()) + "\n";
    }
  }
  ~Victim() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    for (auto it = made_.rbegin(); it != made_.rend(); ++it) {
      for (int i = 0; i < 1000 && rmdir(it->c_str()) != 0 && errno == EBUSY;
           ++i) {
        usleep(1000);
      }
    }
  }

  // Empty when the process is in every directory; else what failed.
  std::string errors() const {
    if (pid_ <= 0) return "fork failed";
    if (leaves_.empty()) return "no cgroup hierarchy";
    return errors_;
  }
  pid_t pid() const { return pid_; }

  // Waits for every other process in the first directory, each a child
  // of this test by now.
  void ReapOthers() const {
    absl::StatusOr<std::string> procs =
        ocitest::ReadFile(leaves_[0] + "/cgroup.procs");
    if (!procs.ok()) return;
    for (absl::string_view line :
         absl::StrSplit(*procs, '\n', absl::SkipEmpty())) {
      int pid = 0;
      if (absl::SimpleAtoi(line, &pid) && pid != pid_) {
        EXPECT_EQ(waitpid(pid, nullptr, 0), pid) << "not our child: " << pid;
      }
    }
  }

  // Alive, not reaped, and still in every directory the test made.
  void ExpectUntouched() const {
    EXPECT_EQ(waitpid(pid_, nullptr, WNOHANG), 0);
    EXPECT_EQ(kill(pid_, 0), 0);
    for (const std::string& leaf : leaves_) {
      absl::StatusOr<std::string> procs =
          ocitest::ReadFile(leaf + "/cgroup.procs");
      ASSERT_TRUE(procs.ok()) << leaf << ": " << procs.status();
      EXPECT_EQ(*procs, absl::StrCat(pid_, "\n")) << leaf;
    }
  }

 private:
  pid_t pid_ = -1;
  std::string errors_;
  std::vector<std::string> leaves_;
  std::vector<std::string> made_;
};

class CgroupReuseTest : public RunOciE2eTest {
 protected:
  // config.json running `args`, with linux.cgroupsPath when not empty and
  // `extra_json` as more top-level members; `pid_namespace`: whether
  // linux.namespaces has a new one.
  void WriteCgroupConfig(const std::vector<std::string>& args,
                         const std::string& cgroups_path,
                         const std::string& extra_json,
                         bool pid_namespace = true) {
    std::string json = absl::StrCat(
        R"({"ociVersion":"1.0.2","root":{"path":"rootfs"},)",
        R"("process":{"args":)", JsonArray(args),
        R"(,"cwd":"/","env":["PATH=/bin"],"user":{"uid":0,"gid":0}},)",
        R"("mounts":[{"destination":"/proc","type":"proc","source":"proc"}],)",
        R"("linux":{"namespaces":[)", pid_namespace ? R"({"type":"pid"},)" : "",
        R"({"type":"mount"},{"type":"ipc"}])",
        cgroups_path.empty()
            ? ""
            : absl::StrCat(R"(,"cgroupsPath":)", JsonString(cgroups_path)),
        "}", extra_json, "}");
    ASSERT_TRUE(ocitest::WriteFile(bundle_ + "/config.json", json).ok());
  }

  // Exit 1 and one line "run_oci: <origin>: /sys/fs/cgroup/<h>/<rel>
  // existed before ... (1 process(es), first pid N); ...", no state left.
  void ExpectNotEmptyRefusal(const std::vector<std::string>& args,
                             const std::string& origin, const std::string& rel,
                             pid_t pid) {
    ocitest::CommandResult r = RunOci(args);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_TRUE(absl::StartsWith(
        r.err, absl::StrCat("run_oci: ", origin, ": /sys/fs/cgroup/")))
        << r.err;
    EXPECT_TRUE(absl::EndsWith(
        r.err,
        absl::StrCat("/", rel,
                     " existed before this container and is not empty (1 "
                     "process(es), first pid ",
                     pid,
                     "); to share it set annotation "
                     "org.chromium.run_oci.shared_cgroup to \"true\"\n")))
        << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
    EXPECT_EQ(StateRootEntries(), std::vector<std::string>{});
  }

  // Its own cgroup outside the fixture's parent, named after it so that the
  // leak check still sees it.
  std::string SharedPath() const { return cgroup_parent_ + "-shared"; }
};

TEST_F(CgroupReuseTest, NonEmptyCgroupsPathIsRefused) {
  Victim victim(SharedPath());
  ASSERT_EQ(victim.errors(), "");
  WriteCgroupConfig({"true"}, "/" + SharedPath(), "");
  for (const char* command : {"run", "create", "start"}) {
    ExpectNotEmptyRefusal(
        {command, "c1"},
        absl::StrCat("config.json: linux.cgroupsPath \"/", SharedPath(), "\""),
        SharedPath(), victim.pid());
  }
  victim.ExpectUntouched();
}

TEST_F(CgroupReuseTest, IdNamingAnExistingCgroupIsRefused) {
  const std::string rel = cgroup_parent_ + "/c1";
  Victim victim(rel);
  ASSERT_EQ(victim.errors(), "");
  WriteCgroupConfig({"true"}, "", "");
  ExpectNotEmptyRefusal(
      {"run", "c1"},
      absl::StrCat("cgroup \"", rel, "\" (cgroup parent and container id)"),
      rel, victim.pid());
  victim.ExpectUntouched();
}

TEST_F(CgroupReuseTest, SharedCgroupRunsAndIsLeftAsItWas) {
  Victim victim(SharedPath());
  ASSERT_EQ(victim.errors(), "");
  // The container leaves a child behind in its pid namespace; it dies with
  // the container's init, the test's process does not.
  WriteCgroupConfig(
      {"sh", "-c",
       "sleep 1000 & grep -c ':/" + SharedPath() + "$' /proc/1/cgroup"},
      "/" + SharedPath(), kShare);
  ocitest::CommandResult r = RunOci({"run", "c1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, absl::StrCat(HierarchyRoots().size(), "\n"));
  victim.ExpectUntouched();
}

TEST_F(CgroupReuseTest, SharedCgroupDestroyKillsOnlyTheContainer) {
  Victim victim(SharedPath());
  ASSERT_EQ(victim.errors(), "");
  WriteCgroupConfig({"sh", "-c", "sleep 1000 & exec sleep 1000"},
                    "/" + SharedPath(), kShare);
  ocitest::CommandResult r = RunOci({"create", "c1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = RunOci({"start", "c1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(WaitForStatus("c1", "running"));
  r = RunOci({"destroy", "--force", "c1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(StateRootEntries(), std::vector<std::string>{});
  // Only the test's process is left in the cgroups: both of the
  // container's went with its init.
  victim.ExpectUntouched();
}

TEST_F(CgroupReuseTest, CreateKilledHalfwayLeavesTheSharedCgroup) {
  // run_oci dies inside Create, after the cgroups and before the record
  // says which it made; the destroy that cleans up must still leave the
  // test's cgroups and process alone.
  Victim victim(SharedPath());
  ASSERT_EQ(victim.errors(), "");
  std::string hook_pid = temp_->Sub("hook.pid");
  WriteCgroupConfig({"true"}, "/" + SharedPath(),
                    absl::StrCat(kShare, R"(,"hooks":)",
                                 BlockingCreateRuntimeHooks(hook_pid)));
  Background bg;
  ASSERT_NO_FATAL_FAILURE(StartBlockedCreate("c1", hook_pid, &bg));
  ASSERT_NO_FATAL_FAILURE(KillBlockedCreate(bg, hook_pid));
  ocitest::CommandResult r = RunOci({"destroy", "--force", "c1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(StateRootEntries(), std::vector<std::string>{});
  // The dead create's child leaves by itself (its sync socket is at EOF);
  // it was reparented to this test, a child subreaper, which reaps it.
  victim.ReapOthers();
  victim.ExpectUntouched();
}

TEST_F(CgroupReuseTest, SharingNeedsAPidNamespace) {
  Victim victim(SharedPath());
  ASSERT_EQ(victim.errors(), "");
  WriteCgroupConfig({"true"}, "/" + SharedPath(), kShare,
                    /*pid_namespace=*/false);
  ExpectError({"run", "c1"},
              "config.json: annotations.org.chromium.run_oci.shared_cgroup: "
              "sharing a cgroup needs a new pid namespace (linux.namespaces), "
              "so that destroy can kill the container's processes and no "
              "others");
  victim.ExpectUntouched();
}

TEST_F(CgroupReuseTest, EmptyExistingCgroupIsUsedAndKept) {
  // runc reuses an empty cgroup; run_oci does too, and leaves it there.
  Victim victim(SharedPath());
  ASSERT_EQ(victim.errors(), "");
  const std::string empty = SharedPath() + "/empty";
  std::vector<std::string> made;
  for (const std::string& root : HierarchyRoots()) {
    std::string dir = absl::StrCat(root, "/", empty);
    ASSERT_EQ(mkdir(dir.c_str(), 0755), 0) << dir;
    made.push_back(dir);
  }
  WriteCgroupConfig({"true"}, "/" + empty, "");
  ocitest::CommandResult r = RunOci({"run", "c1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const std::string& dir : made) {
    struct stat st;
    EXPECT_EQ(stat(dir.c_str(), &st), 0) << dir;
    EXPECT_EQ(rmdir(dir.c_str()), 0) << dir;
  }
  victim.ExpectUntouched();
}

}  // namespace
}  // namespace run_oci_test
