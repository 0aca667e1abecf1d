// CRIU's command lines for a container, without running criu.
#include "libcontainer/criu_args.h"

#include <sys/mount.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace libcontainer {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

CriuCommonOptions Common() {
  CriuCommonOptions c;
  c.images_dir = "/ckpt/img";
  c.work_dir = "/ckpt/work";
  c.external_mounts = {{"/etc/hosts", "/var/lib/c/hosts"},
                       {"/sys/fs/cgroup/cpu", "/sys/fs/cgroup/cpu/c1"}};
  c.masked_files = {"/proc/kcore"};
  return c;
}

TEST(CriuDumpArgs, AsRuncAsksForThem) {
  CriuDumpOptions o;
  o.common = Common();
  o.common.tcp_established = true;
  o.common.file_locks = true;
  o.pid = 4242;
  o.root = "/bundle/rootfs";
  o.freezer_dir = "/sys/fs/cgroup/freezer/c1";
  o.leave_running = true;
  auto args = CriuDumpArgs("/usr/sbin/criu", o);
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_THAT(*args, ElementsAreArray(std::vector<std::string>{
                         "/usr/sbin/criu",
                         "dump",
                         "--tree",
                         "4242",
                         "--root",
                         "/bundle/rootfs",
                         "--images-dir",
                         "/ckpt/img",
                         "--work-dir",
                         "/ckpt/work",
                         "--log-file",
                         "dump.log",
                         "-v4",
                         "--manage-cgroups",
                         "--tcp-established",
                         "--file-locks",
                         "--external",
                         "mnt[/etc/hosts]:/etc/hosts",
                         "--external",
                         "mnt[/sys/fs/cgroup/cpu]:/sys/fs/cgroup/cpu",
                         "--external",
                         "mnt[/proc/kcore]:/proc/kcore",
                         "--freeze-cgroup",
                         "/sys/fs/cgroup/freezer/c1",
                         "--leave-running"}));
}

TEST(CriuDumpArgs, PreDumpTracksMemoryAndKeepsRunning) {
  CriuDumpOptions o;
  o.common.images_dir = "/img";
  o.pid = 7;
  o.root = "/r";
  o.pre_dump = true;
  o.leave_running = true;  // implied; not a pre-dump flag
  o.parent_path = "../prev";
  o.common.manage_cgroups_mode = "full";
  o.page_server = "10.0.0.2:27";
  auto args = CriuDumpArgs("criu", o);
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_THAT(*args, ElementsAreArray(std::vector<std::string>{
                         "criu",         "pre-dump",
                         "--tree",       "7",
                         "--root",       "/r",
                         "--images-dir", "/img",
                         "--log-file",   "dump.log",
                         "-v4",          "--manage-cgroups=full",
                         "--track-mem",  "--prev-images-dir",
                         "../prev",      "--page-server",
                         "--address",    "10.0.0.2",
                         "--port",       "27"}));
}

TEST(CriuDumpArgs, RefusesWhatRuncRefuses) {
  CriuDumpOptions o;
  o.pid = 7;
  o.parent_path = "/abs";
  EXPECT_THAT(CriuDumpArgs("criu", o).status().message(),
              HasSubstr("--parent-path /abs: must be relative"));
  o.parent_path.clear();
  o.page_server = "nocolon";
  EXPECT_THAT(CriuDumpArgs("criu", o).status().message(),
              HasSubstr("--page-server nocolon: expected ADDRESS:PORT"));
  o.page_server = "h:99999";
  EXPECT_FALSE(CriuDumpArgs("criu", o).ok());
  o.page_server.clear();
  o.common.manage_cgroups_mode = "props";  // criu's, not runc's
  EXPECT_THAT(CriuDumpArgs("criu", o).status().message(),
              HasSubstr("--manage-cgroups-mode props"));
}

TEST(CriuRestoreArgs, MapsMountsToTheirSourcesAndDetaches) {
  CriuRestoreOptions o;
  o.common = Common();
  o.common.shell_job = true;
  o.root = "/run/containers/c1/criu-root";
  o.pid_file = "/run/containers/c1/restore.pid";
  o.cgroup_root = "/c1";
  o.inherit_fds = {{3, "pipe:[1234]"}};
  o.lsm_profile = "apparmor:unconfined";
  auto args = CriuRestoreArgs("criu", o);
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_THAT(*args, ElementsAreArray(std::vector<std::string>{
                         "criu",
                         "restore",
                         "--root",
                         "/run/containers/c1/criu-root",
                         "--images-dir",
                         "/ckpt/img",
                         "--work-dir",
                         "/ckpt/work",
                         "--log-file",
                         "restore.log",
                         "-v4",
                         "--manage-cgroups",
                         "--shell-job",
                         "--external",
                         "mnt[/etc/hosts]:/var/lib/c/hosts",
                         "--external",
                         "mnt[/sys/fs/cgroup/cpu]:/sys/fs/cgroup/cpu/c1",
                         "--external",
                         "mnt[/proc/kcore]:/dev/null",
                         "--restore-detached",
                         "--restore-sibling",
                         "--pidfile",
                         "/run/containers/c1/restore.pid",
                         "--cgroup-root",
                         "/c1",
                         "--empty-ns",
                         "net",
                         "--inherit-fd",
                         "fd[3]:pipe:[1234]",
                         "--lsm-profile",
                         "apparmor:unconfined"}));
}

TEST(CriuExternalMounts, BindsAndTheCgroupBindsBelowACgroupMount) {
  Config config;
  Mount proc;
  proc.destination = "/proc";
  proc.type = "proc";
  Mount hosts;
  hosts.source = "/var/lib/c/hosts";
  hosts.destination = "/etc/hosts";
  hosts.type = "bind";
  hosts.flags = MS_BIND | MS_RDONLY;
  Mount cgroup;
  cgroup.destination = "/sys/fs/cgroup";
  cgroup.type = "cgroup";
  config.mounts = {proc, hosts, cgroup};
  auto mounts =
      CriuExternalMounts(config, {{"cpu", "/sys/fs/cgroup/cpu/c1"},
                                  {"memory", "/sys/fs/cgroup/memory/c1"}});
  using P = std::pair<std::string, std::string>;
  EXPECT_THAT(
      mounts,
      ElementsAre(P{"/etc/hosts", "/var/lib/c/hosts"},
                  P{"/sys/fs/cgroup/cpu", "/sys/fs/cgroup/cpu/c1"},
                  P{"/sys/fs/cgroup/memory", "/sys/fs/cgroup/memory/c1"}));
  // A cgroup2-only host: one bind of the container's directory, the mount
  // itself.
  EXPECT_THAT(CriuExternalMounts(config, {{"", "/sys/fs/cgroup/c1"}}),
              ElementsAre(P{"/etc/hosts", "/var/lib/c/hosts"},
                          P{"/sys/fs/cgroup", "/sys/fs/cgroup/c1"}));
}

// A run_oci container's mountinfo, trimmed: the root, proc, a tmpfs /dev
// with the host's /dev/null bound over a masked file, a host bind, the
// cgroup tmpfs and one cgroup bind below it, a path with a space.
TEST(CriuExternalMountPoints, BindsAndCgroupsButNotWhatCriuMakes) {
  constexpr char kMountinfo[] =
      "100 90 8:1 /tmp/b/rootfs / rw,relatime - ext4 /dev/sda1 rw\n"
      "101 100 0:50 / /proc rw,nosuid - proc proc rw\n"
      "102 100 0:51 / /dev rw,nosuid - tmpfs tmpfs rw,mode=755\n"
      "103 102 0:5 /null /proc/kcore rw - devtmpfs udev rw\n"
      "104 100 8:1 /var/lib/hosts /etc/hosts ro - ext4 /dev/sda1 rw\n"
      "105 100 0:52 / /sys/fs/cgroup ro - tmpfs tmpfs ro\n"
      "106 105 0:30 /c1 /sys/fs/cgroup/cpu ro - cgroup cgroup rw,cpu\n"
      "107 100 8:1 /data /mnt/with\\040space rw - ext4 /dev/sda1 rw\n"
      "108 102 0:53 / /dev/pts rw - devpts devpts rw\n"
      "109 102 0:54 / /dev/mqueue rw - mqueue mqueue rw\n";
  EXPECT_THAT(CriuExternalMountPoints(kMountinfo),
              ElementsAre("/proc/kcore", "/etc/hosts", "/sys/fs/cgroup/cpu",
                          "/mnt/with space"));
  EXPECT_THAT(CriuExternalMountPoints(""), ElementsAre());
}

// What Debian's criu 3.17 prints on this project's host (kernel 6.18).
TEST(CriuErrorReason, FirstErrorLineElseLastLine) {
  EXPECT_EQ(CriuErrorReason(
                "Error (criu/vdso.c:381): vdso: Unexpected rt vDSO area "
                "bounds\nError (criu/vdso.c:613): vdso: Failed to fill self "
                "vdso symtable\nError (criu/crtools.c:260): Could not "
                "initialize kernel features detection.\n"),
            "vdso: Unexpected rt vDSO area bounds");
  EXPECT_EQ(CriuErrorReason("(00.276915) Error (criu/vdso.c:381): vdso: x\n"),
            "vdso: x");
  EXPECT_EQ(CriuErrorReason("Error (criu/util.c:642): exited, status=1\n"
                            "Error (criu/vdso.c:381): vdso: y\n"),
            "vdso: y");
  EXPECT_EQ(CriuErrorReason("Warn: something\nLooks bad\n\n"), "Looks bad");
  EXPECT_EQ(CriuErrorReason(""), "");
}

}  // namespace
}  // namespace libcontainer
