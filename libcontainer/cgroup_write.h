// One planned write into a container's cgroup. The v1 and v2 planners turn
// Resources into an ordered list of these (pure, unit-tested); Cgroups then
// performs them against the real hierarchies.
#ifndef LIBCONTAINER_CGROUP_WRITE_H_
#define LIBCONTAINER_CGROUP_WRITE_H_

#include <string>

namespace libcontainer {

struct CgroupWrite {
  // v1 controller owning the file ("memory", "devices", ...); empty for the
  // cgroup2 (unified) hierarchy.
  std::string controller;
  std::string file;
  std::string value;
  // Deprecated knobs (kmem) that newer kernels dropped: skipped with a
  // warning when the file is missing or the kernel refuses it.
  bool best_effort = false;
  // Also written, top-down, to every parent cgroup this container created:
  // the real-time budget of a cgroup must fit into its parent's.
  bool parents_first = false;

  bool operator==(const CgroupWrite& o) const {
    return controller == o.controller && file == o.file && value == o.value &&
           best_effort == o.best_effort && parents_first == o.parents_first;
  }
};

}  // namespace libcontainer

#endif  // LIBCONTAINER_CGROUP_WRITE_H_
