// The exec stub's binary (stub_main.cc), built with the runtime and
// embedded in it by embed.py, so that there is no second file to install
// or to find at run time.
#ifndef MINIJAIL_SHIM_EXEC_STUB_STUB_IMAGE_H_
#define MINIJAIL_SHIM_EXEC_STUB_STUB_IMAGE_H_

namespace shim {
namespace exec_stub {

extern const unsigned char kImage[];
extern const unsigned long kImageSize;

}  // namespace exec_stub
}  // namespace shim

#endif  // MINIJAIL_SHIM_EXEC_STUB_STUB_IMAGE_H_
