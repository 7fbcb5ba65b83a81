// Named (committed) datatypes: commit one at a path, describe one that was opened.
#include "core/h5_failure.h"
#include "core/handle.h"
#include "core/job.h"
#include "core/operations.h"
#include "core/scoped_id.h"
#include "hdf5/object_path.h"
#include "types/type_spec.h"

namespace h5dat {
namespace {

// datatypeDescribe(datatype) → TypeSpec
Job DatatypeDescribe(const Napi::CallbackInfo& info) {
  Job job;
  Handle* datatype = PinnedHandle(job, info[0]);
  auto spec = std::make_shared<TypeSpec>();
  job.Locked([datatype, spec]() {
    if (datatype->Kind() != HandleKind::Datatype) FailUsage("not a named datatype", datatype->Path());
    *spec = TypeSpec::Describe(datatype->Id());
  });
  job.done = [spec](Napi::Env env) { return spec->ToJs(env); };
  return job;
}

// datatypeCommit(loc, name, type): stores `type` as a named datatype at `name`.
Job DatatypeCommit(const Napi::CallbackInfo& info) {
  Job job;
  Handle* loc = PinnedHandle(job, info[0]);
  std::string name = info[1].ToString().Utf8Value();
  TypeSpec spec = TypeSpec::FromJs(info[2]);
  job.Locked([loc, name, spec]() {
    std::string where = JoinPath(loc->Path(), name);
    TypeId type(spec.Build());
    PlistId lcpl(LinkCreationList());
    Check(H5Tcommit2(loc->Id(), name.c_str(), type.get(), lcpl.get(), H5P_DEFAULT, H5P_DEFAULT),
          "cannot commit datatype", where);
  });
  return job;
}

}  // namespace

void InitDatatype(Napi::Env env, Napi::Object exports) {
  ExportJobs(env, exports, {{"datatypeDescribe", DatatypeDescribe}, {"datatypeCommit", DatatypeCommit}});
}

}  // namespace h5dat
