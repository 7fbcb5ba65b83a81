#pragma once
// Each file registers the native operations of one HDF5 object kind (or of archives, JPEGs, ...).
#include <napi.h>

namespace h5dat {

// Adds one file's operations to the module's exports.
using Registrar = void(Napi::Env env, Napi::Object exports);

Registrar InitFile, InitGroup, InitDataset, InitAttribute, InitAttributeInfo, InitDatatype,
    InitDimensionScales, InitVirtualDataset;  // hdf5/
Registrar InitChunk;            // chunks/
Registrar InitArchive;          // archive/
Registrar InitAllocator, InitMappedFile;  // memory/
Registrar InitJpeg;             // image/

}  // namespace h5dat
