#pragma once
// A datatype as plain C++ data, so it can be read from JS on the JS thread and turned into an
// HDF5 type under the lock on a pool thread (and the reverse). The JS form is a plain object,
// see src/h5/type-spec.ts, which owns the layout rules (packed compounds, string slots).
#include <hdf5.h>
#include <napi.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/scoped_id.h"

namespace h5dat {

struct TypeSpec {
  enum class Class { Integer, Float, String, Compound, Opaque, Array, Enum, Bitfield, Time, Reference, Vlen, Unsupported };
  struct Member {
    std::string name;
    size_t offset = 0;
    std::shared_ptr<TypeSpec> type;
  };
  struct EnumMember {
    std::string name;
    int64_t value = 0;
  };

  Class cls = Class::Integer;
  size_t size = 0;             // bytes of one element (for variable strings: a pointer slot)
  bool isSigned = false;       // integers
  bool bigEndian = false;      // integers, floats, bitfields, times
  bool variable = false;       // strings
  bool utf8 = false;           // strings
  std::string padding = "nullterm";  // strings: nullterm | nullpad | spacepad
  std::string tag;             // opaque
  std::string refKind;         // references: object (H5T_STD_REF_OBJ) | region (H5T_STD_REF_DSETREG) | any (H5T_STD_REF)
  std::string unsupportedName; // what HDF5 class it was, for messages
  std::vector<Member> members;           // compound
  std::vector<hsize_t> dims;             // array
  std::shared_ptr<TypeSpec> base;        // array, enum, vlen
  std::vector<EnumMember> enumMembers;   // enum

  static TypeSpec FromJs(const Napi::Value& value);
  Napi::Value ToJs(Napi::Env env) const;

  // A new HDF5 type id (caller closes). Lock held.
  hid_t Build() const;
  // Describes an HDF5 type. Lock held.
  static TypeSpec Describe(hid_t type);
  // Whether an element holds slots whose memory form is not plain bytes: variable-length strings
  // and sequences (pointers) and references (resolved to paths by the binding).
  bool HasSlots() const;
  // Whether both describe the same bytes (so HDF5 would convert nothing between them).
  bool SameAs(const TypeSpec& other) const;
  // Calls `slot` with the byte offset and type of every slot (see HasSlots) in one element; the
  // base of a sequence is not entered (its elements live in their own buffer).
  void ForEachSlot(size_t base, const std::function<void(size_t, const TypeSpec&)>& slot) const;
};

}  // namespace h5dat
