#pragma once
// Per-environment state of the addon (worker_threads each get their own).
#include <napi.h>

namespace h5dat {

struct AddonData {
  Napi::FunctionReference errorClass;
  Napi::FunctionReference handleClass;
  Napi::FunctionReference archiveErrorClass;
  Napi::FunctionReference archiveReaderClass;
  static AddonData* Of(Napi::Env env) { return env.GetInstanceData<AddonData>(); }
};

}  // namespace h5dat
