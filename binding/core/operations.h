#pragma once
// Each file registers the native operations of one HDF5 object kind (or of archives, JPEGs, ...).
#include <napi.h>

namespace h5dat {

void InitFile(Napi::Env env, Napi::Object exports);
void InitGroup(Napi::Env env, Napi::Object exports);
void InitDataset(Napi::Env env, Napi::Object exports);
void InitChunk(Napi::Env env, Napi::Object exports);
void InitAttribute(Napi::Env env, Napi::Object exports);
void InitDatatype(Napi::Env env, Napi::Object exports);
void InitArchive(Napi::Env env, Napi::Object exports);
void InitAllocator(Napi::Env env, Napi::Object exports);
void InitMappedFile(Napi::Env env, Napi::Object exports);
void InitJpeg(Napi::Env env, Napi::Object exports);
void InitDimensionScales(Napi::Env env, Napi::Object exports);
void InitAttributeInfo(Napi::Env env, Napi::Object exports);

}  // namespace h5dat
