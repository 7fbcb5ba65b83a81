// Converting element data between its JS and HDF5 forms (see payload.h).
#include "types/payload.h"


#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "core/h5_failure.h"
#include "memory/large_block.h"
#include "platform/platform.h"
#include "types/reference.h"

namespace h5dat {
namespace {

uint32_t SlotIndex(const uint8_t* slot) {
  uint32_t index;
  std::memcpy(&index, slot, sizeof index);
  return index;
}

// Slots are 8 bytes or more (a pointer, an address, an hvl_t, an H5R_ref_t): the index fills 8.
void SetSlotIndex(uint8_t* slot, size_t slotSize, uint64_t index) {
  std::memset(slot, 0, slotSize);
  std::memcpy(slot, &index, sizeof index);
}

std::vector<hsize_t> Coordinates(const Napi::Value& value) {
  std::vector<hsize_t> out;
  if (!value.IsArray()) throw Napi::TypeError::New(value.Env(), "a region's coordinates must be arrays of numbers");
  Napi::Array array = value.As<Napi::Array>();
  for (uint32_t i = 0; i < array.Length(); i++) out.push_back(static_cast<hsize_t>(array.Get(i).ToNumber().Int64Value()));
  return out;
}

// null | "path" | { path, selection: { kind, points? | blocks? } } (src/h5/codec.ts RegionReference).
ReferenceValue ReferenceFromJs(const Napi::Value& value) {
  ReferenceValue ref;
  if (value.IsString()) {
    ref.isNull = false;
    ref.path = value.As<Napi::String>().Utf8Value();
  } else if (value.IsObject()) {
    Napi::Object object = value.As<Napi::Object>();
    Napi::Object selection = object.Get("selection").As<Napi::Object>();
    ref.isNull = false;
    ref.region = true;
    ref.path = object.Get("path").ToString().Utf8Value();
    ref.selection = selection.Get("kind").ToString().Utf8Value();
    if (ref.selection == "points") {
      Napi::Array points = selection.Get("points").As<Napi::Array>();
      for (uint32_t i = 0; i < points.Length(); i++) {
        std::vector<hsize_t> point = Coordinates(points.Get(i));
        ref.rank = static_cast<int>(point.size());
        ref.coordinates.insert(ref.coordinates.end(), point.begin(), point.end());
      }
    } else if (ref.selection == "hyperslab") {
      // Stored as HDF5's block list gives them: each block's start, then its last coordinates.
      Napi::Array blocks = selection.Get("blocks").As<Napi::Array>();
      for (uint32_t i = 0; i < blocks.Length(); i++) {
        Napi::Object block = blocks.Get(i).As<Napi::Object>();
        std::vector<hsize_t> start = Coordinates(block.Get("start")), count = Coordinates(block.Get("count"));
        if (start.size() != count.size()) throw Napi::TypeError::New(value.Env(), "a block's start and count differ in length");
        ref.rank = static_cast<int>(start.size());
        ref.coordinates.insert(ref.coordinates.end(), start.begin(), start.end());
        for (size_t d = 0; d < start.size(); d++) ref.coordinates.push_back(start[d] + count[d] - 1);
      }
    }
  }
  return ref;
}

}  // namespace

OutgoingData OutgoingData::FromJs(const Napi::Value& value, std::vector<Napi::Value>& pins) {
  return FromJs(value, nullptr, pins);
}

OutgoingData OutgoingData::FromJs(const Napi::Value& value, const TypeSpec* type, std::vector<Napi::Value>& pins) {
  Napi::Env env = value.Env();
  if (!value.IsObject()) throw Napi::TypeError::New(env, "data must be an object { type, bytes, strings }");
  Napi::Object object = value.As<Napi::Object>();
  OutgoingData data;
  data.type_ = type ? *type : TypeSpec::FromJs(object.Get("type"));
  Napi::Value bytes = object.Get("bytes");
  if (bytes.IsTypedArray()) {
    Napi::TypedArray view = bytes.As<Napi::TypedArray>();
    data.bytes_ = static_cast<const uint8_t*>(view.ArrayBuffer().Data()) + view.ByteOffset();
    data.length_ = view.ByteLength();
  } else if (bytes.IsDataView()) {
    Napi::DataView view = bytes.As<Napi::DataView>();
    data.bytes_ = static_cast<const uint8_t*>(view.ArrayBuffer().Data()) + view.ByteOffset();
    data.length_ = view.ByteLength();
  } else {
    throw Napi::TypeError::New(env, "data.bytes must be a TypedArray or DataView");
  }
  pins.push_back(bytes);
  Napi::Value strings = object.Get("strings");
  if (strings.IsArray()) {
    Napi::Array array = strings.As<Napi::Array>();
    data.strings_.reserve(array.Length());
    for (uint32_t i = 0; i < array.Length(); i++) data.strings_.push_back(array.Get(i).ToString().Utf8Value());
  }
  Napi::Value references = object.Get("references");
  if (references.IsArray()) {
    Napi::Array array = references.As<Napi::Array>();
    for (uint32_t i = 0; i < array.Length(); i++) data.references_.push_back(ReferenceFromJs(array.Get(i)));
  }
  Napi::Value sequences = object.Get("sequences");
  if (sequences.IsArray()) {
    // Sequences of any vlen in the element; each names its base by the slot that points to it,
    // so they are read untyped here and typed when the slots are walked.
    Napi::Array array = sequences.As<Napi::Array>();
    for (uint32_t i = 0; i < array.Length(); i++) data.sequences_.push_back(FromJs(array.Get(i), &data.type_, pins));
  }
  if (data.type_.size == 0) throw Napi::TypeError::New(env, "data type has size 0");
  if (!type && data.length_ % data.type_.size != 0) {
    throw Napi::RangeError::New(env, "data has " + std::to_string(data.length_) + " bytes, not a multiple of the element size " +
                                         std::to_string(data.type_.size));
  }
  return data;
}

const void* OutgoingData::Bytes(const std::string& path, hid_t loc) {
  if (!type_.HasSlots()) return bytes_;
  withPointers_.assign(bytes_, bytes_ + length_);
  size_t count = ElementCount();
  for (size_t i = 0; i < count; i++) {
    type_.ForEachSlot(i * type_.size, [&](size_t at, const TypeSpec& slotType) {
      uint8_t* slot = &withPointers_[at];
      uint32_t index = SlotIndex(slot);
      switch (slotType.cls) {
        case TypeSpec::Class::String: {
          if (index >= strings_.size()) FailUsage("string index out of range in data", path);
          const char* pointer = strings_[index].c_str();
          std::memcpy(slot, &pointer, sizeof pointer);
          break;
        }
        case TypeSpec::Class::Vlen: {
          if (index >= sequences_.size()) FailUsage("sequence index out of range in data", path);
          OutgoingData& sequence = sequences_[index];
          sequence.type_ = *slotType.base;
          if (sequence.length_ % sequence.type_.size != 0) FailUsage("a sequence's bytes are not whole elements", path);
          hvl_t vl{sequence.ElementCount(), const_cast<void*>(sequence.Bytes(path, loc))};
          std::memcpy(slot, &vl, sizeof vl);
          break;
        }
        case TypeSpec::Class::Reference: {
          if (index >= references_.size()) FailUsage("reference index out of range in data", path);
          MakeReference(loc, references_[index], slotType, slot, path);
          break;
        }
        default:
          break;
      }
    });
  }
  return withPointers_.data();
}

IncomingData::~IncomingData() { FreeLargeBlock(bytes_, length_); }

namespace {

using SlotWrites = std::vector<std::pair<size_t, uint64_t>>;

// Moves what the slots of `count` elements of `type` at `bytes` point to into `values`; the
// indices to leave in the slots go to `writes` (HDF5 still needs the pointers to free them).
void ExtractSlots(const TypeSpec& type, const uint8_t* bytes, size_t count, SlotValues& values, SlotWrites& writes,
                  ReferenceResolver& resolver) {
  for (size_t i = 0; i < count; i++) {
    type.ForEachSlot(i * type.size, [&](size_t at, const TypeSpec& slotType) {
      const uint8_t* slot = bytes + at;
      switch (slotType.cls) {
        case TypeSpec::Class::String: {
          char* pointer;
          std::memcpy(&pointer, slot, sizeof pointer);
          writes.emplace_back(at, values.strings.size());
          values.strings.emplace_back(pointer ? pointer : "");
          break;
        }
        case TypeSpec::Class::Vlen: {
          hvl_t vl;
          std::memcpy(&vl, slot, sizeof vl);
          auto sequence = std::make_unique<SlotValues::Sequence>();
          const TypeSpec& base = *slotType.base;
          if (vl.p && vl.len > 0) {
            const auto* elements = static_cast<const uint8_t*>(vl.p);
            sequence->bytes.assign(elements, elements + vl.len * base.size);
            SlotWrites inner;
            ExtractSlots(base, elements, vl.len, sequence->slots, inner, resolver);
            for (auto& [offset, index] : inner) SetSlotIndex(sequence->bytes.data() + offset, 8, index);
          }
          writes.emplace_back(at, values.sequences.size());
          values.sequences.push_back(std::move(sequence));
          break;
        }
        case TypeSpec::Class::Reference:
          writes.emplace_back(at, values.references.size());
          values.references.push_back(resolver.Resolve(slotType, slot));
          break;
        default:
          break;
      }
    });
  }
}

Napi::Value SelectionToJs(Napi::Env env, const ReferenceValue& ref) {
  Napi::Object selection = Napi::Object::New(env);
  selection.Set("kind", ref.selection);
  size_t rank = static_cast<size_t>(ref.rank);
  if (ref.selection == "points") {
    size_t count = rank ? ref.coordinates.size() / rank : 0;
    Napi::Array points = Napi::Array::New(env, count);
    for (size_t i = 0; i < count; i++) {
      Napi::Array point = Napi::Array::New(env, rank);
      for (size_t d = 0; d < rank; d++) point.Set(d, static_cast<double>(ref.coordinates[i * rank + d]));
      points.Set(i, point);
    }
    selection.Set("points", points);
  } else if (ref.selection == "hyperslab") {
    size_t count = rank ? ref.coordinates.size() / (2 * rank) : 0;
    Napi::Array blocks = Napi::Array::New(env, count);
    for (size_t i = 0; i < count; i++) {
      Napi::Array start = Napi::Array::New(env, rank), size = Napi::Array::New(env, rank);
      for (size_t d = 0; d < rank; d++) {
        hsize_t first = ref.coordinates[i * 2 * rank + d], last = ref.coordinates[i * 2 * rank + rank + d];
        start.Set(d, static_cast<double>(first));
        size.Set(d, static_cast<double>(last - first + 1));
      }
      Napi::Object block = Napi::Object::New(env);
      block.Set("start", start);
      block.Set("count", size);
      blocks.Set(i, block);
    }
    selection.Set("blocks", blocks);
  }
  return selection;
}

}  // namespace

void SlotValues::ToJs(Napi::Env env, Napi::Object into) const {
  if (!strings.empty()) {
    Napi::Array array = Napi::Array::New(env, strings.size());
    for (size_t i = 0; i < strings.size(); i++) array.Set(i, Napi::String::New(env, strings[i]));
    into.Set("strings", array);
  }
  if (!sequences.empty()) {
    Napi::Array array = Napi::Array::New(env, sequences.size());
    for (size_t i = 0; i < sequences.size(); i++) {
      const Sequence& sequence = *sequences[i];
      Napi::Object item = Napi::Object::New(env);
      Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(env, sequence.bytes.size());
      if (!sequence.bytes.empty()) std::memcpy(buffer.Data(), sequence.bytes.data(), sequence.bytes.size());
      item.Set("bytes", buffer);
      sequence.slots.ToJs(env, item);
      array.Set(i, item);
    }
    into.Set("sequences", array);
  }
  if (!references.empty()) {
    Napi::Array array = Napi::Array::New(env, references.size());
    for (size_t i = 0; i < references.size(); i++) {
      const ReferenceValue& ref = references[i];
      if (ref.isNull) {
        array.Set(i, env.Null());
      } else if (!ref.region) {
        array.Set(i, Napi::String::New(env, ref.path));
      } else {
        Napi::Object region = Napi::Object::New(env);
        region.Set("path", ref.path);
        region.Set("selection", SelectionToJs(env, ref));
        array.Set(i, region);
      }
    }
    into.Set("references", array);
  }
}

void IncomingData::Allocate(TypeSpec type, size_t count, const std::string& path) {
  type_ = std::move(type);
  // Counts come from a dataspace in the file, which a corrupt file sets to anything: a size
  // that wraps, or one no machine here could hold, is refused before calloc sees it (a big
  // calloc succeeds lazily and the fill then exhausts memory).
  if (type_.size != 0 && count > SIZE_MAX / type_.size) {
    FailUsage(std::to_string(count) + " elements of " + std::to_string(type_.size) + " bytes do not fit in memory", path);
  }
  length_ = type_.size * count;
  if (length_ > platform::PhysicalMemory()) {
    FailUsage("reading " + std::to_string(count) + " elements takes " + std::to_string(length_) +
                  " bytes, more than this machine's memory",
              path);
  }
  // Zeroed: HDF5 leaves unselected or unwritten parts alone, and a zero slot reads as a null string.
  bytes_ = static_cast<uint8_t*>(AllocateLargeBlock(length_));
  if (!bytes_) FailUsage("out of memory allocating " + std::to_string(length_) + " bytes", path);
}

void IncomingData::TakeSlots(hid_t memType, hid_t memSpace, hid_t loc, const std::string& path) {
  if (!type_.HasSlots()) return;
  size_t count = type_.size ? length_ / type_.size : 0;
  SlotWrites writes;
  ReferenceResolver resolver(loc, path);
  try {
    ExtractSlots(type_, bytes_, count, slots_, writes, resolver);
  } catch (...) {
    H5Treclaim(memType, memSpace, H5P_DEFAULT, bytes_);
    throw;
  }
  H5Treclaim(memType, memSpace, H5P_DEFAULT, bytes_);
  for (auto& [offset, index] : writes) SetSlotIndex(bytes_ + offset, 8, index);
}

Napi::Object IncomingData::ToJs(Napi::Env env) {
  Napi::Object object = Napi::Object::New(env);
  object.Set("type", type_.ToJs(env));
  uint8_t* bytes = bytes_;
  bytes_ = nullptr;
  object.Set("bytes", LargeBlockToJs(env, bytes, length_));
  slots_.ToJs(env, object);
  return object;
}

}  // namespace h5dat
