// Module entry: HDF5's own error printing off (errors become JS H5Errors instead), the handle
// class and every operation registered, open files closed when the environment goes away.
#include <hdf5.h>
#include <napi.h>

#include "core/addon_data.h"
#include "core/file_state.h"
#include "core/h5_failure.h"
#include "core/handle.h"
#include "core/hdf5_lock.h"
#include "core/operations.h"
#include "filters/addon_filters.h"

namespace h5dat {
namespace {

Napi::Value SetErrorClassesJs(const Napi::CallbackInfo& info) {
  SetErrorClasses(info.Env(), info[0].As<Napi::Function>(), info[1].As<Napi::Function>());
  return info.Env().Undefined();
}

void CloseFilesAtExit(void*) {
  H5Lock lock;
  CloseAllOpenFiles();
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  {
    H5Lock lock;
    H5open();
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    codecs::RegisterCodecFilters();
  }
  env.SetInstanceData(new AddonData());
  Handle::Init(env, exports);
  for (Registrar* init : {InitFile, InitGroup, InitDataset, InitChunk, InitAttribute, InitDatatype, InitArchive,
                          InitAllocator, InitMappedFile, InitJpeg, InitDimensionScales, InitAttributeInfo,
                          InitVirtualDataset}) {
    init(env, exports);
  }
  exports.Set("setErrorClasses", Napi::Function::New(env, SetErrorClassesJs, "setErrorClasses"));
  napi_add_env_cleanup_hook(env, CloseFilesAtExit, nullptr);
  return exports;
}

}  // namespace
}  // namespace h5dat

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return h5dat::Init(env, exports); }
NODE_API_MODULE(h5dat, InitAddon)
