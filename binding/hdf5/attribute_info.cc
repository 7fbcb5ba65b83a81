// attrDescribe(loc, name) → { type, shape }: an attribute's type and shape without its values,
// so a listing can name what an attribute is when its values cannot be read (a type h5dat has
// no JS form for yet).
#include <hdf5.h>

#include <memory>

#include "core/h5_failure.h"
#include "core/handle.h"
#include "core/job.h"
#include "core/operations.h"
#include "core/scoped_id.h"
#include "hdf5/object_path.h"
#include "types/dataspace.h"
#include "types/type_spec.h"

namespace h5dat {
namespace {

struct AttrFacts {
  TypeSpec type;
  Shape shape;
};

Job AttrDescribe(const Napi::CallbackInfo& info) {
  Job job;
  Handle* loc = PinnedHandle(job, info[0]);
  std::string name = info[1].ToString().Utf8Value();
  // A handle's path never changes, so the message's name can be made here, on the JS thread.
  std::string where = AttrPathOf(loc->Path(), name);
  auto facts = std::make_shared<AttrFacts>();
  job.Locked([loc, name, where, facts]() {
    if (H5Aexists(loc->Id(), name.c_str()) <= 0) FailUsage("no such attribute", where);
    AttrId attr(Check(H5Aopen(loc->Id(), name.c_str(), H5P_DEFAULT), "cannot open attribute", where));
    TypeId type(Check(H5Aget_type(attr.get()), "cannot get type of", where));
    facts->type = TypeSpec::Describe(type.get());
    SpaceId space(Check(H5Aget_space(attr.get()), "cannot get dataspace of", where));
    facts->shape = SpaceShape(space.get());
  });
  job.done = [facts](Napi::Env env) -> Napi::Value {
    Napi::Object result = Napi::Object::New(env);
    result.Set("type", facts->type.ToJs(env));
    result.Set("shape", ShapeToJs(env, facts->shape));
    return result;
  };
  return job;
}

}  // namespace

void InitAttributeInfo(Napi::Env env, Napi::Object exports) { ExportJobs(env, exports, {{"attrDescribe", AttrDescribe}}); }

}  // namespace h5dat
