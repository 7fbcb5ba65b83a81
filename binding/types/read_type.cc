// Choosing the memory type a read converts to (see read_type.h).
#include "types/read_type.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/h5_failure.h"
#include "core/scoped_id.h"

namespace h5dat {
namespace {

std::string Bits(size_t size) { return std::to_string(size * 8) + "-bit"; }

bool PlainSize(size_t size) { return size == 1 || size == 2 || size == 4 || size == 8; }

// Same-size byte copy (time and integer or float, bitfield and integer), swapping bytes when the orders differ.
herr_t CopyBytes(hid_t src, hid_t dst, H5T_cdata_t* cdata, size_t count, size_t bufStride, size_t, void* buf,
                        void*, hid_t) {
  switch (cdata->command) {
    case H5T_CONV_INIT:
      cdata->need_bkg = H5T_BKG_NO;
      return H5Tget_size(src) == H5Tget_size(dst) ? 0 : -1;
    case H5T_CONV_FREE:
      return 0;
    case H5T_CONV_CONV: {
      if (H5Tget_order(src) == H5Tget_order(dst)) return 0;
      size_t size = H5Tget_size(src);
      size_t stride = bufStride ? bufStride : size;
      auto* bytes = static_cast<uint8_t*>(buf);
      for (size_t i = 0; i < count; i++) std::reverse(bytes + i * stride, bytes + i * stride + size);
      return 0;
    }
  }
  return -1;
}

// PyTables' Time64: an int64 whose high 32 bits are seconds and low 32 bits microseconds (a
// struct timeval of two int32s), which PyTables turns into double seconds; this does the same
// both ways (`toDouble` false: double to time).
template <bool toDouble>
herr_t ConvertTime64(hid_t src, hid_t dst, H5T_cdata_t* cdata, size_t count, size_t bufStride, size_t, void* buf, void*,
                     hid_t) {
  switch (cdata->command) {
    case H5T_CONV_INIT:
      cdata->need_bkg = H5T_BKG_NO;
      return H5Tget_size(src) == 8 && H5Tget_size(dst) == 8 ? 0 : -1;
    case H5T_CONV_FREE:
      return 0;
    case H5T_CONV_CONV: {
      bool swapIn = H5Tget_order(src) == H5T_ORDER_BE, swapOut = H5Tget_order(dst) == H5T_ORDER_BE;
      size_t stride = bufStride ? bufStride : 8;
      auto* bytes = static_cast<uint8_t*>(buf);
      for (size_t i = 0; i < count; i++) {
        uint8_t* element = bytes + i * stride;
        if (swapIn) std::reverse(element, element + 8);
        if (toDouble) {
          int64_t packed;
          std::memcpy(&packed, element, 8);
          double seconds = 1e-6 * static_cast<int32_t>(packed & 0xffffffff) + static_cast<double>(packed >> 32);
          std::memcpy(element, &seconds, 8);
        } else {
          double seconds;
          std::memcpy(&seconds, element, 8);
          int64_t whole = static_cast<int64_t>(seconds);
          int64_t micro = std::llround((seconds - static_cast<double>(static_cast<int32_t>(seconds))) * 1e6) & 0xffffffff;
          int64_t packed = static_cast<int64_t>(static_cast<uint64_t>(whole) << 32) | micro;
          std::memcpy(element, &packed, 8);
        }
        if (swapOut) std::reverse(element, element + 8);
      }
      return 0;
    }
  }
  return -1;
}

hid_t PackedCompound(hid_t fileType, const ReadOptions& options, const std::string& path) {
  int count = H5Tget_nmembers(fileType);
  if (count < 0) FailH5("cannot read the fields of", path);
  std::vector<hid_t> types;
  std::vector<std::string> names;
  size_t size = 0;
  try {
    for (int i = 0; i < count; i++) {
      TypeId member(Check(H5Tget_member_type(fileType, static_cast<unsigned>(i)), "cannot get a field type of", path));
      char* name = H5Tget_member_name(fileType, static_cast<unsigned>(i));
      names.push_back(name ? name : "");
      H5free_memory(name);
      types.push_back(MemoryType(member.get(), options, path));
      size += H5Tget_size(types.back());
    }
  } catch (...) {
    for (hid_t t : types) H5Tclose(t);
    throw;
  }
  hid_t compound = H5Tcreate(H5T_COMPOUND, size ? size : 1);
  size_t offset = 0;
  for (size_t i = 0; i < types.size(); i++) {
    if (compound >= 0 && H5Tinsert(compound, names[i].c_str(), offset, types[i]) < 0) {
      H5Tclose(compound);
      compound = H5I_INVALID_HID;
    }
    offset += H5Tget_size(types[i]);
    H5Tclose(types[i]);
  }
  return Check(compound, "cannot make the memory type of", path);
}

}  // namespace

ReadOptions ReadOptionsFromJs(const Napi::Value& value) {
  ReadOptions options;
  if (value.IsObject()) options.rawFloat16 = value.As<Napi::Object>().Get("rawFloat16").ToBoolean();
  return options;
}

void EnsureCopyConversions() {
  static bool registered = false;
  if (registered) return;
  registered = true;
  H5Tregister(H5T_PERS_SOFT, "h5dat time to integer", H5T_UNIX_D32LE, H5T_NATIVE_INT32, CopyBytes);
  H5Tregister(H5T_PERS_SOFT, "h5dat time to float", H5T_UNIX_D64LE, H5T_NATIVE_DOUBLE, ConvertTime64<true>);
  H5Tregister(H5T_PERS_SOFT, "h5dat integer to time", H5T_NATIVE_INT32, H5T_UNIX_D32LE, CopyBytes);
  H5Tregister(H5T_PERS_SOFT, "h5dat float to time", H5T_NATIVE_DOUBLE, H5T_UNIX_D64LE, ConvertTime64<false>);
  H5Tregister(H5T_PERS_SOFT, "h5dat bitfield to integer", H5T_STD_B8LE, H5T_NATIVE_UINT8, CopyBytes);
  H5Tregister(H5T_PERS_SOFT, "h5dat integer to bitfield", H5T_NATIVE_UINT8, H5T_STD_B8LE, CopyBytes);
}

hid_t MemoryType(hid_t fileType, const ReadOptions& options, const std::string& path) {
  size_t size = H5Tget_size(fileType);
  switch (H5Tget_class(fileType)) {
    case H5T_INTEGER:
      if (!PlainSize(size)) FailUsage("cannot read " + Bits(size) + " integers (no JS type holds them)", path);
      return Check(H5Tget_native_type(fileType, H5T_DIR_ASCEND), "no memory type for", path);
    case H5T_FLOAT:
      // Other sizes (long doubles, quads) become doubles: HDF5 rounds them, as numpy's float() would.
      if (size == 2) return Check(H5Tcopy(options.rawFloat16 ? H5T_IEEE_F16LE : H5T_NATIVE_FLOAT), "no memory type for", path);
      return Check(H5Tcopy(size == 4 ? H5T_NATIVE_FLOAT : H5T_NATIVE_DOUBLE), "no memory type for", path);
    case H5T_ENUM: {
      TypeId base(Check(H5Tget_super(fileType), "cannot get the base type of", path));
      if (!PlainSize(H5Tget_size(base.get()))) FailUsage("cannot read enums over " + Bits(size) + " integers", path);
      return Check(H5Tget_native_type(fileType, H5T_DIR_ASCEND), "no memory type for", path);
    }
    case H5T_BITFIELD:
      // Read as the unsigned integer of the same size, as h5py does.
      if (!PlainSize(size)) FailUsage("cannot read " + Bits(size) + " bitfields", path);
      EnsureCopyConversions();
      return Check(H5Tcopy(size == 1 ? H5T_STD_B8LE : size == 2 ? H5T_STD_B16LE : size == 4 ? H5T_STD_B32LE : H5T_STD_B64LE),
                   "no memory type for", path);
    case H5T_TIME:
      if (size != 4 && size != 8) FailUsage("cannot read " + Bits(size) + " times", path);
      EnsureCopyConversions();
      return Check(H5Tcopy(size == 4 ? H5T_NATIVE_INT32 : H5T_NATIVE_DOUBLE), "no memory type for", path);
    case H5T_STRING:
    case H5T_OPAQUE:
      return Check(H5Tcopy(fileType), "no memory type for", path);
    case H5T_REFERENCE:
      // The memory forms: an address, an address with a heap id, or HDF5 1.12's opaque H5R_ref_t.
      if (H5Tequal(fileType, H5T_STD_REF_OBJ) > 0) return Check(H5Tcopy(H5T_STD_REF_OBJ), "no memory type for", path);
      if (H5Tequal(fileType, H5T_STD_REF_DSETREG) > 0) return Check(H5Tcopy(H5T_STD_REF_DSETREG), "no memory type for", path);
      return Check(H5Tcopy(H5T_STD_REF), "no memory type for", path);
    case H5T_ARRAY: {
      int rank = Check(H5Tget_array_ndims(fileType), "cannot get the dims of", path);
      std::vector<hsize_t> dims(rank > 0 ? rank : 0);
      H5Tget_array_dims2(fileType, dims.data());
      TypeId base(Check(H5Tget_super(fileType), "cannot get the base type of", path));
      TypeId memBase(MemoryType(base.get(), options, path));
      return Check(H5Tarray_create2(memBase.get(), static_cast<unsigned>(rank), dims.data()), "no memory type for", path);
    }
    case H5T_VLEN: {
      TypeId base(Check(H5Tget_super(fileType), "cannot get the base type of", path));
      TypeId memBase(MemoryType(base.get(), options, path));
      return Check(H5Tvlen_create(memBase.get()), "no memory type for", path);
    }
    case H5T_COMPOUND:
      return PackedCompound(fileType, options, path);
    default:
      FailUsage("cannot read values of an HDF5 type of unknown class", path);
  }
}

}  // namespace h5dat
