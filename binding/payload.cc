#include "payload.h"

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "h5_failure.h"
#include "large_block.h"

namespace h5dat {

OutgoingData OutgoingData::FromJs(const Napi::Value& value, std::vector<Napi::Value>& pins) {
  Napi::Env env = value.Env();
  if (!value.IsObject()) throw Napi::TypeError::New(env, "data must be an object { type, bytes, strings }");
  Napi::Object object = value.As<Napi::Object>();
  OutgoingData data;
  data.type_ = TypeSpec::FromJs(object.Get("type"));
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
  if (data.type_.size == 0) throw Napi::TypeError::New(env, "data type has size 0");
  if (data.length_ % data.type_.size != 0) {
    throw Napi::RangeError::New(env, "data has " + std::to_string(data.length_) + " bytes, not a multiple of the element size " +
                                         std::to_string(data.type_.size));
  }
  return data;
}

const void* OutgoingData::Bytes(const std::string& path) {
  if (!type_.HasVariableStrings()) return bytes_;
  withPointers_.assign(bytes_, bytes_ + length_);
  size_t count = ElementCount();
  for (size_t i = 0; i < count; i++) {
    type_.ForEachStringSlot(i * type_.size, [&](size_t at) {
      uint32_t index;
      std::memcpy(&index, &withPointers_[at], sizeof index);
      if (index >= strings_.size()) FailUsage("string index out of range in data", path);
      const char* pointer = strings_[index].c_str();
      std::memcpy(&withPointers_[at], &pointer, sizeof pointer);
    });
  }
  return withPointers_.data();
}

IncomingData::~IncomingData() { FreeLargeBlock(bytes_, length_); }

namespace {

size_t PhysicalMemory() {
  long pages = sysconf(_SC_PHYS_PAGES);
  long pageSize = sysconf(_SC_PAGESIZE);
  return pages > 0 && pageSize > 0 ? static_cast<size_t>(pages) * static_cast<size_t>(pageSize) : SIZE_MAX;
}

}  // namespace

void IncomingData::Allocate(TypeSpec type, size_t count, const std::string& path) {
  type_ = std::move(type);
  // Counts come from a dataspace in the file, which a corrupt file sets to anything: a size
  // that wraps, or one no machine here could hold, is refused before calloc sees it (a big
  // calloc succeeds lazily and the fill then exhausts memory).
  if (type_.size != 0 && count > SIZE_MAX / type_.size) {
    FailUsage(std::to_string(count) + " elements of " + std::to_string(type_.size) + " bytes do not fit in memory", path);
  }
  length_ = type_.size * count;
  if (length_ > PhysicalMemory()) {
    FailUsage("reading " + std::to_string(count) + " elements takes " + std::to_string(length_) +
                  " bytes, more than this machine's memory",
              path);
  }
  // Zeroed: HDF5 leaves unselected or unwritten parts alone, and a zero slot reads as a null string.
  bytes_ = static_cast<uint8_t*>(AllocateLargeBlock(length_));
  if (!bytes_) FailUsage("out of memory allocating " + std::to_string(length_) + " bytes", path);
}

void IncomingData::TakeStrings(hid_t memType, hid_t memSpace) {
  if (!type_.HasVariableStrings()) return;
  size_t count = type_.size ? length_ / type_.size : 0;
  std::vector<size_t> slots;
  for (size_t i = 0; i < count; i++) {
    type_.ForEachStringSlot(i * type_.size, [&](size_t at) { slots.push_back(at); });
  }
  strings_.reserve(slots.size());
  for (size_t at : slots) {
    char* pointer;
    std::memcpy(&pointer, bytes_ + at, sizeof pointer);
    strings_.emplace_back(pointer ? pointer : "");
  }
  H5Treclaim(memType, memSpace, H5P_DEFAULT, bytes_);
  for (size_t i = 0; i < slots.size(); i++) {
    uint64_t index = i;
    std::memcpy(bytes_ + slots[i], &index, sizeof index);
  }
}

Napi::Object IncomingData::ToJs(Napi::Env env) {
  Napi::Object object = Napi::Object::New(env);
  object.Set("type", type_.ToJs(env));
  uint8_t* bytes = bytes_;
  bytes_ = nullptr;
  object.Set("bytes", LargeBlockToJs(env, bytes, length_));
  if (!strings_.empty()) {
    Napi::Array strings = Napi::Array::New(env, strings_.size());
    for (size_t i = 0; i < strings_.size(); i++) strings.Set(i, Napi::String::New(env, strings_[i]));
    object.Set("strings", strings);
  }
  return object;
}

}  // namespace h5dat
