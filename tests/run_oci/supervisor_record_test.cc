#include "run_oci/supervisor_record.h"

#include <unistd.h>

#include "gtest/gtest.h"
#include "run_oci/state_json.h"
#include "tests/testing/temp_dir.h"

namespace run_oci {
namespace {

TEST(SupervisorRecordTest, RoundTrips) {
  SupervisorRecord record;
  record.id = "svc";
  record.bundle = "/b";
  record.pid = 42;
  record.pid_start_time = 7;
  record.restarts = 3;
  record.stop_timeout_ms = 250;
  std::string json = SupervisorRecordToJson(record);
  EXPECT_EQ(json, R"({"id":"svc","bundle":"/b","pid":42,"pidStartTime":7,)"
                  R"("restarts":3,"stopTimeoutMs":250})");
  absl::StatusOr<SupervisorRecord> back = ParseSupervisorRecord(json, "f");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->restarts, 3);
  EXPECT_EQ(back->stop_timeout_ms, 250);
}

TEST(SupervisorRecordTest, BadRecordsNameTheField) {
  EXPECT_EQ(ParseSupervisorRecord(R"({"id":"a","pid":0,"pidStartTime":1})", "f")
                .status()
                .message(),
            "f: pid: must be positive");
  EXPECT_EQ(ParseSupervisorRecord(R"({"pid":1,"pidStartTime":1})", "f")
                .status()
                .message(),
            "f: id: required");
}

TEST(SupervisorRecordTest, AClaimIsExclusiveAndGoesAway) {
  absl::StatusOr<ocitest::TempDir> temp = ocitest::TempDir::Create("sup");
  ASSERT_TRUE(temp.ok());
  SupervisorRecord record;
  record.id = "svc";
  {
    absl::StatusOr<SupervisorClaim> claim =
        SupervisorClaim::Take(temp->path(), record);
    ASSERT_TRUE(claim.ok()) << claim.status();
    absl::StatusOr<std::optional<SupervisorRecord>> live =
        ReadLiveSupervisor(temp->path(), "svc");
    ASSERT_TRUE(live.ok() && live->has_value());
    EXPECT_EQ((*live)->pid, getpid());
    ASSERT_TRUE(claim->SetRestarts(4).ok());
    EXPECT_EQ((*ReadLiveSupervisor(temp->path(), "svc"))->restarts, 4);
    EXPECT_EQ(SupervisorClaim::Take(temp->path(), record).status().message(),
              "container with given ID already exists: svc");
  }
  EXPECT_FALSE(ReadLiveSupervisor(temp->path(), "svc")->has_value());
  EXPECT_NE(access(SupervisorRecordPath(temp->path(), "svc").c_str(), F_OK), 0);
}

TEST(SupervisorRecordTest, ADeadSupervisorsFileIsStale) {
  absl::StatusOr<ocitest::TempDir> temp = ocitest::TempDir::Create("sup");
  ASSERT_TRUE(temp.ok());
  SupervisorRecord dead;
  dead.id = "svc";
  dead.pid = getpid();
  dead.pid_start_time = 1;  // not this process's start time
  ASSERT_TRUE(ocitest::WriteFile(SupervisorRecordPath(temp->path(), "svc"),
                                 SupervisorRecordToJson(dead))
                  .ok());
  bool stale = false;
  EXPECT_FALSE(ReadLiveSupervisor(temp->path(), "svc", &stale)->has_value());
  EXPECT_TRUE(stale);
  ASSERT_TRUE(RemoveStaleSupervisor(temp->path(), "svc").ok());
  EXPECT_NE(access(SupervisorRecordPath(temp->path(), "svc").c_str(), F_OK), 0);
}

}  // namespace
}  // namespace run_oci
