// A checkpoint's directory layout, without running criu.
#include "run_oci/criu_images.h"

#include <sys/stat.h>
#include <unistd.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace run_oci {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(CriuImageDirsFor, RuncsDefaults) {
  CriuImageDirs dirs = CriuImageDirsFor("", "", "/home/u");
  EXPECT_EQ(dirs.images_dir, "/home/u/checkpoint");
  EXPECT_EQ(dirs.work_dir, "/home/u/checkpoint");
  dirs = CriuImageDirsFor("img", "/var/work", "/home/u");
  EXPECT_EQ(dirs.images_dir, "/home/u/img");
  EXPECT_EQ(dirs.work_dir, "/var/work");
}

TEST(MakeCriuImageDirs, MakesWhatIsMissingPrivateAndSaysWhat) {
  auto temp = ocitest::TempDir::Create("criu-images");
  ASSERT_TRUE(temp.ok());
  ASSERT_EQ(mkdir(temp->Sub("work").c_str(), 0755), 0);
  CriuImageDirs dirs{temp->Sub("a/b"), temp->Sub("work")};
  auto made = MakeCriuImageDirs(dirs);
  ASSERT_TRUE(made.ok()) << made.status();
  EXPECT_THAT(*made, ElementsAre(temp->Sub("a"), temp->Sub("a/b")));
  struct stat st;
  ASSERT_EQ(stat(temp->Sub("a/b").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  // A file where a directory should be: an error, and nothing left made.
  ASSERT_TRUE(ocitest::WriteFile(temp->Sub("file"), "").ok());
  CriuImageDirs bad{temp->Sub("c/d"), temp->Sub("file/x")};
  EXPECT_THAT(MakeCriuImageDirs(bad).status().message(),
              HasSubstr("mkdir " + temp->Sub("file")));
  EXPECT_NE(stat(temp->Sub("c").c_str(), &st), 0);
}

TEST(CriuDescriptorsJson, RuncsFormatRoundTrips) {
  std::string json =
      CriuDescriptorsJson({"/dev/null", "pipe:[1234]", "/dev/pts/0"});
  EXPECT_EQ(json, R"(["/dev/null","pipe:[1234]","/dev/pts/0"])");
  auto parsed = ParseCriuDescriptorsJson(json, "descriptors.json");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_THAT(*parsed, ElementsAre("/dev/null", "pipe:[1234]", "/dev/pts/0"));
  EXPECT_FALSE(ParseCriuDescriptorsJson("{}", "descriptors.json").ok());
}

TEST(StdioTargets, ReadsTheLinks) {
  auto targets = StdioTargets(getpid());
  ASSERT_TRUE(targets.ok()) << targets.status();
  EXPECT_EQ(targets->size(), 3u);
  EXPECT_FALSE(StdioTargets(0).ok());
}

}  // namespace
}  // namespace run_oci
