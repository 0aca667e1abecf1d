// A temp dir that stands in for /sys/fs/cgroup in libcontainer's unit
// tests: the start every fake-hierarchy fixture shares.
#ifndef TESTS_LIBCONTAINER_FAKE_CGROUP_ROOT_H_
#define TESTS_LIBCONTAINER_FAKE_CGROUP_ROOT_H_

#include <sys/stat.h>

#include <initializer_list>
#include <optional>
#include <string>

#include "gtest/gtest.h"
#include "libcontainer/cgroups.h"
#include "tests/testing/temp_dir.h"

namespace libcontainer {

inline bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

class FakeCgroupRootTest : public ::testing::Test {
 protected:
  explicit FakeCgroupRootTest(const char* prefix) : prefix_(prefix) {}

  void SetUp() override {
    auto dir = ocitest::TempDir::Create(prefix_);
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_.emplace(*std::move(dir));
  }

  // mkdir of each path under the root, in order.
  void MakeDirs(std::initializer_list<const char*> paths) {
    for (const char* path : paths) {
      ASSERT_EQ(mkdir(dir_->Sub(path).c_str(), 0755), 0) << path;
    }
  }

  // v1 hierarchies mounted at their controller's name under the root, and
  // the unified one at "unified" (its directory made too, with theirs).
  void MakeHierarchies(std::initializer_list<const char*> v1) {
    for (const char* controller : v1) {
      MakeDirs({controller});
      h_.v1[controller] = dir_->Sub(controller);
    }
    MakeDirs({"unified"});
    h_.unified = dir_->Sub("unified");
  }

  std::optional<ocitest::TempDir> dir_;
  CgroupHierarchies h_;

 private:
  const char* prefix_;
};

}  // namespace libcontainer

#endif  // TESTS_LIBCONTAINER_FAKE_CGROUP_ROOT_H_
