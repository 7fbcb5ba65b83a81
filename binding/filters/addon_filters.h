#pragma once
// Registers h5dat's codecs (filters/codecs.h) with the addon's HDF5. Call once, lock held.
namespace h5dat::codecs {
void RegisterCodecFilters();
}
