// The annotations run_oci acts on, through the converter.
#include "run_oci/parser/oci_annotations.h"

#include <gtest/gtest.h>

#include "libcontainer/config.h"
#include "libcontainer/config_text.h"
#include "run_oci/parser/oci_convert.h"

namespace run_oci {
namespace {

absl::StatusOr<libcontainer::Config> ConvertWith(const std::string& key,
                                                 const std::string& value) {
  OciConfig oci;
  oci.root.path = "rootfs";
  oci.process.args = {"/bin/sh"};
  oci.linux_config.namespaces.push_back({"mount", ""});
  oci.annotations[key] = value;
  ConvertOptions options;
  options.bundle_dir = "/bundle";
  return ConvertOciConfig(oci, options, nullptr);
}

TEST(OciAnnotationsTest, SharedCgroup) {
  absl::StatusOr<libcontainer::Config> c =
      ConvertWith("org.chromium.run_oci.shared_cgroup", "true");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(c->share_cgroup);
  EXPECT_NE(libcontainer::FormatConfig(*c).find("share_cgroup: true\n"),
            std::string::npos);
  c = ConvertWith("org.chromium.run_oci.shared_cgroup", "false");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_FALSE(c->share_cgroup);
  EXPECT_EQ(libcontainer::FormatConfig(*c).find("share_cgroup"),
            std::string::npos);
  c = ConvertWith("team", "true");  // other annotations are only recorded
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_FALSE(c->share_cgroup);
}

TEST(OciAnnotationsTest, SharedCgroupValueMustBeABoolean) {
  absl::StatusOr<libcontainer::Config> c =
      ConvertWith("org.chromium.run_oci.shared_cgroup", "yes");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(),
            "config.json: annotations.org.chromium.run_oci.shared_cgroup: "
            "must be \"true\" or \"false\", not \"yes\"");
}

}  // namespace
}  // namespace run_oci
