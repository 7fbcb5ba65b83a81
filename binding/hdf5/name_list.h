#pragma once
// Listing the names below an object, in name order: its links (H5Literate2) or its attributes
// (H5Aiterate2), which HDF5 iterates with the same signature.
#include <memory>
#include <string>
#include <vector>

#include "core/h5_failure.h"
#include "core/handle.h"
#include "core/job.h"

namespace h5dat {

// The job behind linkList and attrList: `iterate` over the handle in info[0], collecting each
// name (`Info` is the iteration's info struct); a failure reads "<failure> <path>".
template <typename Info, typename Iterate>
Job NameListJob(const Napi::CallbackInfo& info, Iterate iterate, const char* failure) {
  Job job;
  Handle* loc = PinnedHandle(job, info[0]);
  auto names = std::make_shared<std::vector<std::string>>();
  job.Locked([loc, names, iterate, failure]() {
    hsize_t index = 0;
    Check(iterate(loc->Id(), H5_INDEX_NAME, H5_ITER_INC, &index, CollectName<Info>, names.get()), failure, loc->Path());
  });
  job.done = NamesResult(names);
  return job;
}

}  // namespace h5dat
