// The codecs as HDF5 filter classes (see filters/h5z_filters.h).
#include "filters/h5z_filters.h"

#include <cstdlib>
#include <cstring>
#include <exception>
#include <vector>

#include "filters/codecs.h"

namespace h5dat::codecs {
namespace {

void Report(const char* message) {
  const Hdf5Calls& h5 = Calls();
  if (!h5.push || !h5.errorClass || !h5.pipelineMajor || !h5.filterMinor) return;
  h5.push(H5E_DEFAULT, __FILE__, "h5dat filter", __LINE__, *h5.errorClass, *h5.pipelineMajor, *h5.filterMinor,
          "%s", message);
}

// HDF5's set_local: the user's cd_values completed for this dataset's type and chunk.
template <H5Z_filter_t Id>
herr_t SetLocal(hid_t dcpl, hid_t type, hid_t space) {
  const Hdf5Calls& h5 = Calls();
  if (!h5.getFilterById || !h5.getChunk || !h5.modifyFilter || !h5.typeSize || !h5.typeClass || !h5.typeSuper ||
      !h5.typeClose) {
    return -1;
  }
  unsigned flags = 0, values[16] = {};
  size_t count = 16;
  if (h5.getFilterById(dcpl, Id, &flags, &count, values, 0, nullptr, nullptr) < 0) return -1;
  size_t typeSize = h5.typeSize(type);
  if (typeSize == 0) return -1;
  size_t baseSize = typeSize;
  if (h5.typeClass(type) == H5T_ARRAY) {
    hid_t base = h5.typeSuper(type);
    if (base < 0) return -1;
    baseSize = h5.typeSize(base);
    h5.typeClose(base);
  }
  hsize_t chunk[32];
  int rank = h5.getChunk(dcpl, 32, chunk);
  if (rank < 0 || rank > 32) return -1;
  size_t chunkBytes = typeSize;
  for (int d = 0; d < rank; d++) chunkBytes *= chunk[d];
  std::vector<unsigned> given(values, values + (count < 16 ? count : 16));
  std::vector<unsigned> local = LocalValues(Id, given, typeSize, baseSize, chunkBytes);
  if (!ValidValues(Id, local.data(), local.size())) {
    Report((std::string(Name(Id)) + ": invalid filter parameters").c_str());
    return -1;
  }
  return h5.modifyFilter(dcpl, Id, flags, local.size(), local.data()) < 0 ? -1 : 1;
}

// HDF5's filter function: one chunk in *buf, replaced by its encoded or decoded bytes (HDF5
// frees the buffer it gets with free()). 0 says it failed.
template <H5Z_filter_t Id>
size_t RunFilter(unsigned flags, size_t count, const unsigned values[], size_t nbytes, size_t* bufSize, void** buf) {
  try {
    const uint8_t* in = static_cast<const uint8_t*>(*buf);
    ChunkBytes out = (flags & H5Z_FLAG_REVERSE) ? Decode(Id, values, count, in, nbytes, 0)
                                                : Encode(Id, values, count, in, nbytes);
    void* copy = std::malloc(out.size() ? out.size() : 1);
    if (!copy) throw CodecError(std::string(Name(Id)) + ": out of memory");
    std::memcpy(copy, out.data(), out.size());
    std::free(*buf);
    *buf = copy;
    *bufSize = out.size();
    return out.size();
  } catch (const std::exception& error) {
    Report(error.what());
    return 0;
  }
}

template <H5Z_filter_t Id>
const H5Z_class2_t kClass = {H5Z_CLASS_T_VERS, Id, 1, 1, Name(Id), nullptr, SetLocal<Id>, RunFilter<Id>};

}  // namespace

const H5Z_class2_t* FilterClass(H5Z_filter_t id) {
  switch (id) {
    case kBlosc: return &kClass<kBlosc>;
    case kLz4: return &kClass<kLz4>;
    case kBitshuffle: return &kClass<kBitshuffle>;
    case kZstd: return &kClass<kZstd>;
    default: return nullptr;
  }
}

}  // namespace h5dat::codecs
