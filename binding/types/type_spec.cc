// TypeSpec to and from JS and HDF5 type ids (see type_spec.h).
#include "types/type_spec.h"

#include <algorithm>
#include <cstring>

#include "core/h5_failure.h"
#include "types/read_type.h"

namespace h5dat {
namespace {

const char* ClassName(TypeSpec::Class cls) {
  switch (cls) {
    case TypeSpec::Class::Integer: return "integer";
    case TypeSpec::Class::Float: return "float";
    case TypeSpec::Class::String: return "string";
    case TypeSpec::Class::Compound: return "compound";
    case TypeSpec::Class::Opaque: return "opaque";
    case TypeSpec::Class::Array: return "array";
    case TypeSpec::Class::Enum: return "enum";
    case TypeSpec::Class::Bitfield: return "bitfield";
    case TypeSpec::Class::Time: return "time";
    case TypeSpec::Class::Reference: return "reference";
    case TypeSpec::Class::Vlen: return "vlen";
    case TypeSpec::Class::Unsupported: return "unsupported";
  }
  return "unsupported";
}

TypeSpec::Class ClassFromName(Napi::Env env, const std::string& name) {
  static const TypeSpec::Class all[] = {TypeSpec::Class::Integer, TypeSpec::Class::Float,
                                        TypeSpec::Class::String,  TypeSpec::Class::Compound,
                                        TypeSpec::Class::Opaque,  TypeSpec::Class::Array,
                                        TypeSpec::Class::Enum,    TypeSpec::Class::Bitfield,
                                        TypeSpec::Class::Time,    TypeSpec::Class::Reference,
                                        TypeSpec::Class::Vlen};
  for (auto cls : all) {
    if (name == ClassName(cls)) return cls;
  }
  throw Napi::TypeError::New(env, "unknown type class '" + name + "'");
}

size_t SizeOf(Napi::Object object, const char* key) {
  Napi::Value value = object.Get(key);
  if (!value.IsNumber()) throw Napi::TypeError::New(object.Env(), std::string("type spec needs a numeric '") + key + "'");
  return static_cast<size_t>(value.As<Napi::Number>().Int64Value());
}

hid_t IntegerBase(size_t size, bool isSigned, bool bigEndian) {
  switch (size) {
    case 1: return isSigned ? (bigEndian ? H5T_STD_I8BE : H5T_STD_I8LE) : (bigEndian ? H5T_STD_U8BE : H5T_STD_U8LE);
    case 2: return isSigned ? (bigEndian ? H5T_STD_I16BE : H5T_STD_I16LE) : (bigEndian ? H5T_STD_U16BE : H5T_STD_U16LE);
    case 4: return isSigned ? (bigEndian ? H5T_STD_I32BE : H5T_STD_I32LE) : (bigEndian ? H5T_STD_U32BE : H5T_STD_U32LE);
    case 8: return isSigned ? (bigEndian ? H5T_STD_I64BE : H5T_STD_I64LE) : (bigEndian ? H5T_STD_U64BE : H5T_STD_U64LE);
  }
  return H5I_INVALID_HID;
}

hid_t BitfieldBase(size_t size, bool bigEndian) {
  switch (size) {
    case 1: return bigEndian ? H5T_STD_B8BE : H5T_STD_B8LE;
    case 2: return bigEndian ? H5T_STD_B16BE : H5T_STD_B16LE;
    case 4: return bigEndian ? H5T_STD_B32BE : H5T_STD_B32LE;
    case 8: return bigEndian ? H5T_STD_B64BE : H5T_STD_B64LE;
  }
  return H5I_INVALID_HID;
}

// Bytes of a reference of each kind in memory (and in the file, for the two old kinds).
size_t ReferenceSize(const std::string& kind) {
  if (kind == "object") return sizeof(hobj_ref_t);
  if (kind == "region") return sizeof(hdset_reg_ref_t);
  return sizeof(H5R_ref_t);
}

bool IsBigEndian(hid_t type) { return H5Tget_order(type) == H5T_ORDER_BE; }

std::vector<TypeSpec::Member> CompoundMembersFromJs(Napi::Array list) {
  std::vector<TypeSpec::Member> members;
  for (uint32_t i = 0; i < list.Length(); i++) {
    Napi::Object m = list.Get(i).As<Napi::Object>();
    TypeSpec::Member member;
    member.name = m.Get("name").ToString().Utf8Value();
    member.offset = SizeOf(m, "offset");
    member.type = std::make_shared<TypeSpec>(TypeSpec::FromJs(m.Get("type")));
    members.push_back(std::move(member));
  }
  return members;
}

// An array type's base and dims; its size is the base's times every dim.
void ArrayFromJs(const Napi::Object& object, TypeSpec& spec) {
  Napi::Array dims = object.Get("dims").As<Napi::Array>();
  spec.base = std::make_shared<TypeSpec>(TypeSpec::FromJs(object.Get("base")));
  spec.size = spec.base->size;
  for (uint32_t i = 0; i < dims.Length(); i++) {
    hsize_t dim = static_cast<hsize_t>(dims.Get(i).As<Napi::Number>().Int64Value());
    spec.dims.push_back(dim);
    spec.size *= dim;
  }
}

std::vector<TypeSpec::EnumMember> EnumMembersFromJs(Napi::Array list) {
  std::vector<TypeSpec::EnumMember> members;
  for (uint32_t i = 0; i < list.Length(); i++) {
    Napi::Object m = list.Get(i).As<Napi::Object>();
    members.push_back({m.Get("name").ToString().Utf8Value(), m.Get("value").As<Napi::Number>().Int64Value()});
  }
  return members;
}

}  // namespace

TypeSpec TypeSpec::FromJs(const Napi::Value& value) {
  Napi::Env env = value.Env();
  if (!value.IsObject()) throw Napi::TypeError::New(env, "type spec must be an object");
  Napi::Object object = value.As<Napi::Object>();
  TypeSpec spec;
  spec.cls = ClassFromName(env, object.Get("class").ToString().Utf8Value());
  switch (spec.cls) {
    case Class::Integer:
      spec.size = SizeOf(object, "size");
      spec.isSigned = object.Get("signed").ToBoolean();
      spec.bigEndian = object.Get("order").ToString().Utf8Value() == "be";
      break;
    case Class::Float:
      spec.size = SizeOf(object, "size");
      spec.bigEndian = object.Get("order").ToString().Utf8Value() == "be";
      break;
    case Class::String: {
      Napi::Value length = object.Get("length");
      spec.variable = length.IsNull() || length.IsUndefined();
      spec.size = spec.variable ? sizeof(char*) : SizeOf(object, "length");
      spec.utf8 = object.Get("charset").ToString().Utf8Value() == "utf-8";
      Napi::Value padding = object.Get("padding");
      if (padding.IsString()) spec.padding = padding.As<Napi::String>().Utf8Value();
      break;
    }
    case Class::Compound:
      spec.size = SizeOf(object, "size");
      spec.members = CompoundMembersFromJs(object.Get("members").As<Napi::Array>());
      break;
    case Class::Opaque:
      spec.size = SizeOf(object, "size");
      if (object.Get("tag").IsString()) spec.tag = object.Get("tag").ToString().Utf8Value();
      break;
    case Class::Array:
      ArrayFromJs(object, spec);
      break;
    case Class::Enum:
      spec.base = std::make_shared<TypeSpec>(FromJs(object.Get("base")));
      spec.size = spec.base->size;
      spec.enumMembers = EnumMembersFromJs(object.Get("members").As<Napi::Array>());
      break;
    case Class::Bitfield:
    case Class::Time:
      spec.size = SizeOf(object, "size");
      spec.bigEndian = object.Get("order").ToString().Utf8Value() == "be";
      break;
    case Class::Reference:
      spec.refKind = object.Get("kind").ToString().Utf8Value();
      if (spec.refKind != "object" && spec.refKind != "region" && spec.refKind != "any") {
        throw Napi::TypeError::New(env, "reference kind must be object, region or any");
      }
      spec.size = ReferenceSize(spec.refKind);
      break;
    case Class::Vlen:
      spec.base = std::make_shared<TypeSpec>(FromJs(object.Get("base")));
      spec.size = sizeof(hvl_t);
      break;
    case Class::Unsupported:
      break;
  }
  return spec;
}

Napi::Value TypeSpec::ToJs(Napi::Env env) const {
  Napi::Object object = Napi::Object::New(env);
  object.Set("class", ClassName(cls));
  object.Set("size", static_cast<double>(size));
  switch (cls) {
    case Class::Integer:
      object.Set("signed", isSigned);
      object.Set("order", bigEndian ? "be" : "le");
      break;
    case Class::Float:
      object.Set("order", bigEndian ? "be" : "le");
      break;
    case Class::String:
      object.Set("length", variable ? env.Null() : Napi::Number::New(env, static_cast<double>(size)));
      object.Set("charset", utf8 ? "utf-8" : "ascii");
      object.Set("padding", padding);
      break;
    case Class::Compound: {
      Napi::Array array = Napi::Array::New(env, members.size());
      for (size_t i = 0; i < members.size(); i++) {
        Napi::Object m = Napi::Object::New(env);
        m.Set("name", members[i].name);
        m.Set("offset", static_cast<double>(members[i].offset));
        m.Set("type", members[i].type->ToJs(env));
        array.Set(i, m);
      }
      object.Set("members", array);
      break;
    }
    case Class::Opaque:
      object.Set("tag", tag);
      break;
    case Class::Array: {
      Napi::Array array = Napi::Array::New(env, dims.size());
      for (size_t i = 0; i < dims.size(); i++) array.Set(i, static_cast<double>(dims[i]));
      object.Set("dims", array);
      object.Set("base", base->ToJs(env));
      break;
    }
    case Class::Enum: {
      object.Set("base", base->ToJs(env));
      Napi::Array array = Napi::Array::New(env, enumMembers.size());
      for (size_t i = 0; i < enumMembers.size(); i++) {
        Napi::Object m = Napi::Object::New(env);
        m.Set("name", enumMembers[i].name);
        m.Set("value", static_cast<double>(enumMembers[i].value));
        array.Set(i, m);
      }
      object.Set("members", array);
      break;
    }
    case Class::Bitfield:
    case Class::Time:
      object.Set("order", bigEndian ? "be" : "le");
      break;
    case Class::Reference:
      object.Set("kind", refKind);
      break;
    case Class::Vlen:
      object.Set("base", base->ToJs(env));
      break;
    case Class::Unsupported:
      object.Set("name", unsupportedName);
      break;
  }
  return object;
}

namespace {

hid_t BuildString(const TypeSpec& spec) {
  hid_t type = Check(H5Tcopy(H5T_C_S1), "cannot create string type", "");
  if (spec.variable) {
    H5Tset_size(type, H5T_VARIABLE);
  } else {
    if (spec.size == 0) FailUsage("a fixed-length string needs a length of at least 1", "");
    H5Tset_size(type, spec.size);
  }
  H5Tset_cset(type, spec.utf8 ? H5T_CSET_UTF8 : H5T_CSET_ASCII);
  H5Tset_strpad(type, spec.padding == "nullpad" ? H5T_STR_NULLPAD
                      : spec.padding == "spacepad" ? H5T_STR_SPACEPAD : H5T_STR_NULLTERM);
  return type;
}

hid_t BuildCompound(const TypeSpec& spec) {
  hid_t type = Check(H5Tcreate(H5T_COMPOUND, spec.size), "cannot create compound type", "");
  for (const TypeSpec::Member& member : spec.members) {
    TypeId memberType(member.type->Build());
    if (H5Tinsert(type, member.name.c_str(), member.offset, memberType.get()) < 0) {
      H5Tclose(type);
      FailH5("cannot add compound field", member.name);
    }
  }
  return type;
}

hid_t BuildEnum(const TypeSpec& spec) {
  TypeId baseType(spec.base->Build());
  hid_t type = Check(H5Tenum_create(baseType.get()), "cannot create enum type", "");
  for (const TypeSpec::EnumMember& member : spec.enumMembers) {
    // The value is given as int64 and converted to the base type by HDF5.
    unsigned char value[8];
    int64_t v = member.value;
    std::memcpy(value, &v, sizeof v);
    if (H5Tconvert(H5T_NATIVE_INT64, baseType.get(), 1, value, nullptr, H5P_DEFAULT) < 0 ||
        H5Tenum_insert(type, member.name.c_str(), value) < 0) {
      H5Tclose(type);
      FailH5("cannot add enum member", member.name);
    }
  }
  return type;
}

}  // namespace

hid_t TypeSpec::Build() const {
  switch (cls) {
    case Class::Integer: {
      hid_t base = IntegerBase(size, isSigned, bigEndian);
      if (base < 0) FailUsage("integer types are 1, 2, 4 or 8 bytes, not " + std::to_string(size), "");
      return Check(H5Tcopy(base), "cannot create integer type", "");
    }
    case Class::Float: {
      hid_t base;
      // HDF5's IEEE half is h5py's float16 (a copy of F32 with fields 15,10,5,0,10, ebias 15).
      if (size == 2) base = bigEndian ? H5T_IEEE_F16BE : H5T_IEEE_F16LE;
      else if (size == 4) base = bigEndian ? H5T_IEEE_F32BE : H5T_IEEE_F32LE;
      else if (size == 8) base = bigEndian ? H5T_IEEE_F64BE : H5T_IEEE_F64LE;
      else FailUsage("float types are 2, 4 or 8 bytes, not " + std::to_string(size), "");
      return Check(H5Tcopy(base), "cannot create float type", "");
    }
    case Class::String:
      return BuildString(*this);
    case Class::Compound:
      return BuildCompound(*this);
    case Class::Opaque: {
      hid_t type = Check(H5Tcreate(H5T_OPAQUE, size), "cannot create opaque type", "");
      if (!tag.empty()) H5Tset_tag(type, tag.c_str());
      return type;
    }
    case Class::Array: {
      TypeId baseType(base->Build());
      return Check(H5Tarray_create2(baseType.get(), static_cast<unsigned>(dims.size()), dims.data()),
                   "cannot create array type", "");
    }
    case Class::Enum:
      return BuildEnum(*this);
    case Class::Bitfield: {
      hid_t base = BitfieldBase(size, bigEndian);
      if (base < 0) FailUsage("bitfield types are 1, 2, 4 or 8 bytes, not " + std::to_string(size), "");
      EnsureCopyConversions();
      return Check(H5Tcopy(base), "cannot create bitfield type", "");
    }
    case Class::Time: {
      // PyTables' Time32 (seconds as int32) and Time64 (seconds as a double).
      if (size != 4 && size != 8) FailUsage("time types are 4 or 8 bytes, not " + std::to_string(size), "");
      EnsureCopyConversions();
      hid_t base = size == 4 ? (bigEndian ? H5T_UNIX_D32BE : H5T_UNIX_D32LE) : (bigEndian ? H5T_UNIX_D64BE : H5T_UNIX_D64LE);
      return Check(H5Tcopy(base), "cannot create time type", "");
    }
    case Class::Reference: {
      hid_t base = refKind == "object" ? H5T_STD_REF_OBJ : refKind == "region" ? H5T_STD_REF_DSETREG : H5T_STD_REF;
      return Check(H5Tcopy(base), "cannot create reference type", "");
    }
    case Class::Vlen: {
      TypeId baseType(base->Build());
      return Check(H5Tvlen_create(baseType.get()), "cannot create variable-length type", "");
    }
    case Class::Unsupported:
      break;
  }
  FailUsage("cannot create a datatype of class " + std::string(ClassName(cls)), "");
}

namespace {

// The name of a compound's field or an enum's member (HDF5 allocates it).
std::string MemberName(hid_t type, unsigned index) {
  char* name = H5Tget_member_name(type, index);
  std::string copy = name ? name : "";
  H5free_memory(name);
  return copy;
}

std::vector<TypeSpec::Member> DescribeCompoundMembers(hid_t type) {
  std::vector<TypeSpec::Member> members;
  int count = H5Tget_nmembers(type);
  for (unsigned i = 0; i < static_cast<unsigned>(std::max(count, 0)); i++) {
    TypeSpec::Member member;
    member.name = MemberName(type, i);
    member.offset = H5Tget_member_offset(type, i);
    TypeId memberType(H5Tget_member_type(type, i));
    member.type = std::make_shared<TypeSpec>(TypeSpec::Describe(memberType.get()));
    members.push_back(std::move(member));
  }
  return members;
}

// Each member's value, converted from the enum's base type to int64.
std::vector<TypeSpec::EnumMember> DescribeEnumMembers(hid_t type, hid_t baseType) {
  std::vector<TypeSpec::EnumMember> members;
  int count = H5Tget_nmembers(type);
  for (unsigned i = 0; i < static_cast<unsigned>(std::max(count, 0)); i++) {
    TypeSpec::EnumMember member;
    member.name = MemberName(type, i);
    unsigned char value[8] = {0};
    H5Tget_member_value(type, i, value);
    H5Tconvert(baseType, H5T_NATIVE_INT64, 1, value, nullptr, H5P_DEFAULT);
    std::memcpy(&member.value, value, sizeof member.value);
    members.push_back(std::move(member));
  }
  return members;
}

}  // namespace

TypeSpec TypeSpec::Describe(hid_t type) {
  TypeSpec spec;
  spec.size = H5Tget_size(type);
  switch (H5Tget_class(type)) {
    case H5T_INTEGER:
      spec.cls = Class::Integer;
      spec.isSigned = H5Tget_sign(type) == H5T_SGN_2;
      spec.bigEndian = H5Tget_order(type) == H5T_ORDER_BE;
      break;
    case H5T_FLOAT:
      spec.cls = Class::Float;
      spec.bigEndian = H5Tget_order(type) == H5T_ORDER_BE;
      break;
    case H5T_STRING: {
      spec.cls = Class::String;
      spec.variable = H5Tis_variable_str(type) > 0;
      spec.utf8 = H5Tget_cset(type) == H5T_CSET_UTF8;
      H5T_str_t pad = H5Tget_strpad(type);
      spec.padding = pad == H5T_STR_NULLPAD ? "nullpad" : pad == H5T_STR_SPACEPAD ? "spacepad" : "nullterm";
      break;
    }
    case H5T_COMPOUND:
      spec.cls = Class::Compound;
      spec.members = DescribeCompoundMembers(type);
      break;
    case H5T_OPAQUE: {
      spec.cls = Class::Opaque;
      char* tag = H5Tget_tag(type);
      spec.tag = tag ? tag : "";
      H5free_memory(tag);
      break;
    }
    case H5T_ARRAY: {
      spec.cls = Class::Array;
      int rank = H5Tget_array_ndims(type);
      spec.dims.resize(rank > 0 ? rank : 0);
      H5Tget_array_dims2(type, spec.dims.data());
      TypeId baseType(H5Tget_super(type));
      spec.base = std::make_shared<TypeSpec>(Describe(baseType.get()));
      break;
    }
    case H5T_ENUM: {
      spec.cls = Class::Enum;
      TypeId baseType(H5Tget_super(type));
      spec.base = std::make_shared<TypeSpec>(Describe(baseType.get()));
      spec.enumMembers = DescribeEnumMembers(type, baseType.get());
      break;
    }
    case H5T_BITFIELD:
      spec.cls = Class::Bitfield;
      spec.bigEndian = IsBigEndian(type);
      break;
    case H5T_TIME:
      spec.cls = Class::Time;
      spec.bigEndian = IsBigEndian(type);
      break;
    case H5T_REFERENCE:
      spec.cls = Class::Reference;
      spec.refKind = H5Tequal(type, H5T_STD_REF_OBJ) > 0 ? "object" : H5Tequal(type, H5T_STD_REF_DSETREG) > 0 ? "region" : "any";
      break;
    case H5T_VLEN: {
      spec.cls = Class::Vlen;
      TypeId baseType(H5Tget_super(type));
      spec.base = std::make_shared<TypeSpec>(Describe(baseType.get()));
      break;
    }
    default:
      spec.cls = Class::Unsupported;
      spec.unsupportedName = "unknown";
      break;
  }
  return spec;
}

bool TypeSpec::SameAs(const TypeSpec& o) const {
  if (cls != o.cls || size != o.size || isSigned != o.isSigned || bigEndian != o.bigEndian || variable != o.variable ||
      utf8 != o.utf8 || padding != o.padding || tag != o.tag || refKind != o.refKind || dims != o.dims || members.size() != o.members.size() ||
      enumMembers.size() != o.enumMembers.size() || !base != !o.base) {
    return false;
  }
  if (cls == Class::Unsupported) return false;
  for (size_t i = 0; i < members.size(); i++) {
    const Member &a = members[i], &b = o.members[i];
    if (a.name != b.name || a.offset != b.offset || !a.type->SameAs(*b.type)) return false;
  }
  for (size_t i = 0; i < enumMembers.size(); i++) {
    if (enumMembers[i].name != o.enumMembers[i].name || enumMembers[i].value != o.enumMembers[i].value) return false;
  }
  return !base || base->SameAs(*o.base);
}

bool TypeSpec::HasSlots() const {
  if (cls == Class::String) return variable;
  if (cls == Class::Vlen || cls == Class::Reference) return true;
  for (const Member& member : members) {
    if (member.type->HasSlots()) return true;
  }
  return cls == Class::Array && base->HasSlots();
}

void TypeSpec::ForEachSlot(size_t at, const std::function<void(size_t, const TypeSpec&)>& slot) const {
  switch (cls) {
    case Class::String:
      if (variable) slot(at, *this);
      break;
    case Class::Vlen:
    case Class::Reference:
      slot(at, *this);
      break;
    case Class::Compound:
      for (const Member& member : members) member.type->ForEachSlot(at + member.offset, slot);
      break;
    case Class::Array: {
      if (!base->HasSlots()) break;
      size_t count = base->size ? size / base->size : 0;
      for (size_t i = 0; i < count; i++) base->ForEachSlot(at + i * base->size, slot);
      break;
    }
    default:
      break;
  }
}

}  // namespace h5dat
