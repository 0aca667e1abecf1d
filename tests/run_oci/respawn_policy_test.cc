#include "run_oci/respawn_policy.h"

#include "gtest/gtest.h"

namespace run_oci {
namespace {

TEST(ParseRespawnSpecTest, ProcdDefaults) {
  absl::StatusOr<RespawnParams> params = ParseRespawnSpec(kDefaultRespawnSpec);
  ASSERT_TRUE(params.ok()) << params.status();
  EXPECT_EQ(params->threshold, absl::Seconds(3600));
  EXPECT_EQ(params->delay, absl::Seconds(5));
  EXPECT_EQ(params->retry, 5);
}

TEST(ParseRespawnSpecTest, FieldsAndOmissions) {
  absl::StatusOr<RespawnParams> params = ParseRespawnSpec("10,0.25,0");
  ASSERT_TRUE(params.ok()) << params.status();
  EXPECT_EQ(params->threshold, absl::Seconds(10));
  EXPECT_EQ(params->delay, absl::Milliseconds(250));
  EXPECT_EQ(params->retry, 0);
  params = ParseRespawnSpec("60");
  ASSERT_TRUE(params.ok()) << params.status();
  EXPECT_EQ(params->threshold, absl::Seconds(60));
  EXPECT_EQ(params->delay, absl::Seconds(5));
  EXPECT_EQ(params->retry, 5);
  params = ParseRespawnSpec(",,2");
  ASSERT_TRUE(params.ok()) << params.status();
  EXPECT_EQ(params->threshold, absl::Seconds(3600));
  EXPECT_EQ(params->retry, 2);
}

TEST(ParseRespawnSpecTest, ErrorsNameTheField) {
  EXPECT_EQ(ParseRespawnSpec("3600,x,5").status().message(),
            "--respawn 3600,x,5: DELAY: not a number of seconds");
  EXPECT_EQ(ParseRespawnSpec("-1").status().message(),
            "--respawn -1: THRESHOLD: must be between 0 and 31536000 seconds");
  EXPECT_EQ(ParseRespawnSpec("1,1,-2").status().message(),
            "--respawn 1,1,-2: RETRY: not a count (0: retry forever)");
  EXPECT_EQ(ParseRespawnSpec("1,2,3,4").status().message(),
            "--respawn 1,2,3,4: expected THRESHOLD,DELAY,RETRY (seconds, "
            "seconds, count)");
  EXPECT_FALSE(ParseRespawnSpec("nan").ok());
}

// procd: the count is compared after the increment, so RETRY respawns
// follow crashes and the crash after them ends the loop.
TEST(RespawnPolicyTest, GivesUpWhenCrashesExceedRetry) {
  RespawnPolicy policy({absl::Seconds(10), absl::Seconds(1), 3});
  for (int i = 1; i <= 3; ++i) {
    EXPECT_TRUE(policy.ShouldRespawn(absl::Seconds(1))) << i;
    EXPECT_EQ(policy.crashes(), i);
  }
  EXPECT_FALSE(policy.ShouldRespawn(absl::Seconds(9)));
  EXPECT_EQ(policy.GiveUpMessage("svc"),
            "container svc: crashed 4 times in a row, each within 10s of its "
            "start; not respawning it again");
}

TEST(RespawnPolicyTest, ALongRunResetsTheCount) {
  RespawnPolicy policy({absl::Seconds(10), absl::Seconds(1), 2});
  EXPECT_TRUE(policy.ShouldRespawn(absl::Seconds(1)));
  EXPECT_TRUE(policy.ShouldRespawn(absl::Seconds(1)));
  // Exactly THRESHOLD is not "within" it (procd: runtime < threshold).
  EXPECT_TRUE(policy.ShouldRespawn(absl::Seconds(10)));
  EXPECT_EQ(policy.crashes(), 0);
  EXPECT_TRUE(policy.ShouldRespawn(absl::Seconds(1)));
  EXPECT_TRUE(policy.ShouldRespawn(absl::Seconds(1)));
  EXPECT_FALSE(policy.ShouldRespawn(absl::Seconds(1)));
}

TEST(RespawnPolicyTest, RetryZeroIsForever) {
  RespawnPolicy policy({absl::Seconds(10), absl::Seconds(1), 0});
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(policy.ShouldRespawn(absl::ZeroDuration()));
  }
  EXPECT_EQ(policy.crashes(), 1000);
}

}  // namespace
}  // namespace run_oci
