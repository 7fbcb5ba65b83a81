#pragma once
// Element data crossing between JS and HDF5. In the JS form ({ type, bytes, strings, sequences,
// references }) each slot of `bytes` that HDF5 fills with a pointer or a reference (see
// TypeSpec::HasSlots) holds a uint32 index into the matching side list: `strings` for variable-
// length strings, `sequences` for variable-length sequences (each one the bytes of its elements,
// with side lists of its own), `references` for references (written as target paths, read as
// paths or { path, selection }). These classes convert between the forms.
#include <hdf5.h>
#include <napi.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "types/type_spec.h"

namespace h5dat {

// A reference as JS sees it, read or to be written: null, a target's path, or for a region a
// dataset's path and a selection in it.
struct ReferenceValue {
  bool isNull = true;
  std::string path;
  bool region = false;
  std::string selection;             // all | none | points | hyperslab
  int rank = 0;
  std::vector<hsize_t> coordinates;  // points: rank per point; hyperslab: start and end (inclusive) per block
};

// Data from JS to be written. The bytes stay in the JS buffer (pinned by the Job) unless slots
// force a copy with pointers (or references) swapped in.
class OutgoingData {
 public:
  static OutgoingData FromJs(const Napi::Value& value, std::vector<Napi::Value>& pins);
  const TypeSpec& Type() const { return type_; }
  size_t ByteLength() const { return length_; }
  size_t ElementCount() const { return type_.size ? length_ / type_.size : 0; }
  // Bytes in HDF5's memory form; valid while this object lives. References are made in the file
  // of `loc`. Fails on a bad index or a reference target that does not exist. Lock held.
  const void* Bytes(const std::string& path, hid_t loc = H5I_INVALID_HID);

 private:
  // `type` given: a sequence's elements, whose type is the sequence's base.
  static OutgoingData FromJs(const Napi::Value& value, const TypeSpec* type, std::vector<Napi::Value>& pins);
  TypeSpec type_;
  const uint8_t* bytes_ = nullptr;
  size_t length_ = 0;
  std::vector<std::string> strings_;
  std::vector<OutgoingData> sequences_;
  std::vector<ReferenceValue> references_;
  std::vector<uint8_t> withPointers_;
};

// What the slots of a buffer of elements pointed to, moved out of HDF5's memory.
struct SlotValues {
  struct Sequence;
  std::vector<std::string> strings;
  std::vector<std::unique_ptr<Sequence>> sequences;
  std::vector<ReferenceValue> references;
  void ToJs(Napi::Env env, Napi::Object into) const;
};
struct SlotValues::Sequence {
  std::vector<uint8_t> bytes;
  SlotValues slots;
};

// Data read from HDF5, handed to JS without a copy (the ArrayBuffer adopts the memory).
class IncomingData {
 public:
  IncomingData() = default;
  IncomingData(IncomingData&&) = default;
  IncomingData& operator=(IncomingData&&) = default;
  ~IncomingData();
  // Allocates room for `count` elements of `memType` (described as `type`); fails (naming
  // `path`) when that many cannot fit in memory.
  void Allocate(TypeSpec type, size_t count, const std::string& path);
  void* Bytes() { return bytes_; }
  // After the read: moves strings and sequences out, resolves references (in the file of `loc`),
  // frees HDF5's copies and leaves indices in the slots. Lock held.
  void TakeSlots(hid_t memType, hid_t memSpace, hid_t loc, const std::string& path);
  // { type, bytes: ArrayBuffer, strings?, sequences?, references? }
  Napi::Object ToJs(Napi::Env env);

 private:
  TypeSpec type_;
  uint8_t* bytes_ = nullptr;
  size_t length_ = 0;
  SlotValues slots_;
};

}  // namespace h5dat
