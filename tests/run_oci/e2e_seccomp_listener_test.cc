// linux.seccomp.listenerPath: the runtime hands the filter's notification fd
// and the container process state to a seccomp agent, which then answers
// the container's notified syscalls. The agent here is a thread of the
// test: it answers getppid(2) (busybox sh reads it for $PPID) with 4242.
#include <linux/seccomp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "tests/run_oci/e2e_fixture.h"
#include "tests/testing/temp_dir.h"

namespace run_oci_test {
namespace {

using ::testing::HasSubstr;

struct AgentResult {
  std::string state_json;
  int fds_received = 0;
  int notifications = 0;
  std::string error;
};

// Accepts one connection, takes the fd and the JSON, then answers every
// notification until the filter's fd reports the container gone.
void RunAgent(int listen_fd, AgentResult* result) {
  pollfd accept_poll = {listen_fd, POLLIN, 0};
  if (poll(&accept_poll, 1, 20000) != 1) {
    result->error = "no connection";
    return;
  }
  int conn = accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
  if (conn < 0) {
    result->error = "accept failed";
    return;
  }
  char buffer[65536];
  iovec iov = {buffer, sizeof(buffer)};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * 4)];
  msghdr msg = {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof(control);
  ssize_t n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
  int notify_fd = -1;
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr;
       c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_type != SCM_RIGHTS) continue;
    result->fds_received = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    memcpy(&notify_fd, CMSG_DATA(c), sizeof(int));
  }
  while (n > 0) {
    result->state_json.append(buffer, static_cast<size_t>(n));
    n = read(conn, buffer, sizeof(buffer));  // until the runtime closes it
  }
  close(conn);
  if (notify_fd < 0) {
    result->error = "no fd";
    return;
  }
  for (;;) {
    pollfd p = {notify_fd, POLLIN, 0};
    if (poll(&p, 1, 20000) != 1 || (p.revents & POLLHUP)) break;
    seccomp_notif req = {};
    if (ioctl(notify_fd, SECCOMP_IOCTL_NOTIF_RECV, &req) != 0) break;
    seccomp_notif_resp resp = {};
    resp.id = req.id;
    resp.val = 4242;
    ioctl(notify_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
    ++result->notifications;
  }
  close(notify_fd);
}

class SeccompListenerTest : public RunOciE2eTest {
 protected:
  void WriteAgentConfig(const std::string& socket_path) {
    // The fixture's linux object has no seccomp; write the whole config.
    const std::string json = absl::StrCat(
        R"({"ociVersion":"1.3.0","root":{"path":"rootfs"},)",
        R"("process":{"args":["sh","-c","echo ppid=$PPID"],"cwd":"/",)",
        R"("env":["PATH=/bin"]},"annotations":{"k":"v"},)",
        R"("linux":{"namespaces":[{"type":"pid"},{"type":"mount"}],)",
        R"("seccomp":{"defaultAction":"SCMP_ACT_ALLOW",)", R"("listenerPath":)",
        JsonString(socket_path), R"(,"listenerMetadata":"agent-metadata",)",
        R"("syscalls":[{"names":["getppid"],"action":"SCMP_ACT_NOTIFY"}]}}})");
    ASSERT_TRUE(ocitest::WriteFile(bundle_ + "/config.json", json).ok());
  }

  int Listen(const std::string& path) {
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr = {};
    addr.sun_family = AF_UNIX;
    strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
    EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    EXPECT_EQ(listen(fd, 1), 0);
    return fd;
  }
};

TEST_F(SeccompListenerTest, AgentGetsTheFdAndAnswersTheSyscall) {
  const std::string socket_path = temp_->Sub("agent.sock");
  WriteAgentConfig(socket_path);
  int listen_fd = Listen(socket_path);
  AgentResult agent;
  std::thread thread(RunAgent, listen_fd, &agent);
  ocitest::CommandResult r = RunOci({"run", "c1"});
  thread.join();
  close(listen_fd);
  ASSERT_EQ(agent.error, "");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("ppid=4242"));
  EXPECT_GE(agent.notifications, 1);
  EXPECT_EQ(agent.fds_received, 1);

  rapidjson::Document doc;
  doc.Parse(agent.state_json.c_str());
  ASSERT_FALSE(doc.HasParseError()) << agent.state_json;
  ASSERT_TRUE(doc.IsObject());
  EXPECT_STREQ(doc["fds"][0].GetString(), "seccompFd");
  EXPECT_STREQ(doc["metadata"].GetString(), "agent-metadata");
  EXPECT_GT(doc["pid"].GetInt(), 0);
  EXPECT_TRUE(doc.HasMember("ociVersion"));
  const rapidjson::Value& state = doc["state"];
  EXPECT_STREQ(state["id"].GetString(), "c1");
  EXPECT_STREQ(state["status"].GetString(), "creating");
  EXPECT_EQ(state["pid"].GetInt(), doc["pid"].GetInt());
  EXPECT_EQ(state["bundle"].GetString(), bundle_);
  EXPECT_STREQ(state["annotations"]["k"].GetString(), "v");
}

TEST_F(SeccompListenerTest, NoAgentIsAnError) {
  const std::string socket_path = temp_->Sub("nobody.sock");
  WriteAgentConfig(socket_path);
  for (const char* command : {"run", "create"}) {
    ExpectError(
        {command, "c1"},
        absl::StrCat("config.json: linux.seccomp.listenerPath ", socket_path,
                     ": connect: No such file or directory"));
  }
}

}  // namespace
}  // namespace run_oci_test
