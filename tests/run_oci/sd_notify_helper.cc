// A static sd_notify(3) client for containers in tests (busybox has none):
// sd_notify_helper [MESSAGE] sends MESSAGE (default "READY=1") as one
// datagram to $NOTIFY_SOCKET and exits 0, or prints why not and exits 1.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char** argv) {
  const char* message = argc > 1 ? argv[1] : "READY=1";
  const char* path = getenv("NOTIFY_SOCKET");
  if (path == nullptr || *path == '\0') {
    fprintf(stderr, "sd_notify_helper: NOTIFY_SOCKET is not set\n");
    return 1;
  }
  sockaddr_un addr = {};
  addr.sun_family = AF_UNIX;
  if (strlen(path) >= sizeof(addr.sun_path)) {
    fprintf(stderr, "sd_notify_helper: %s: too long\n", path);
    return 1;
  }
  strcpy(addr.sun_path, path);
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || sendto(fd, message, strlen(message), 0,
                       reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) < 0) {
    fprintf(stderr, "sd_notify_helper: %s: %s\n", path, strerror(errno));
    return 1;
  }
  return 0;
}
