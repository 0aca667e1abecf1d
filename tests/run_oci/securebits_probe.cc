// A static probe for containers in tests (busybox cannot ask the kernel):
// securebits_probe prints prctl(PR_GET_SECUREBITS) of its own process as a
// decimal number and a newline, and exits 0, or prints why not and exits 1.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>

int main() {
  const int bits = prctl(PR_GET_SECUREBITS, 0, 0, 0, 0);
  if (bits < 0) {
    fprintf(stderr, "securebits_probe: prctl: %s\n", strerror(errno));
    return 1;
  }
  printf("%d\n", bits);
  return 0;
}
