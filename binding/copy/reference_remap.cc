// References in a copied tree, pointed at the copies. H5Ocopy with
// H5O_COPY_EXPAND_REFERENCE_FLAG remaps a reference only where the whole type of a dataset or
// attribute is a reference; inside compounds, arrays and variable-length sequences it copies the
// source file's bytes, which in the copy point at whatever sits at that address (h5py:
// "Unspecified error in H5DSiterate_scales" for every dimension scale, as DIMENSION_LIST is a
// sequence of references and REFERENCE_LIST a compound holding one). Each such reference is made
// again here from the path of its target in the source: its copy is at the same path under the
// new group. A reference whose target has no path (an object without links) is null inside a
// compound or sequence, and stays as H5Ocopy made it where the type is a reference.
#include <cstring>
#include <optional>

#include "copy/tree_copy.h"
#include "core/h5_failure.h"
#include "core/scoped_id.h"

namespace h5dat {
namespace {

using DatasetId = ScopedId<H5Dclose>;
using ObjectId = ScopedId<H5Oclose>;

enum class ReferenceKind { Object, Region, Other };

// Where the references are in one value of a type.
struct ReferenceLayout {
  enum class Shape { Reference, Compound, Array, Sequence };
  explicit ReferenceLayout(Shape shape) : shape(shape) {}
  Shape shape;
  ReferenceKind kind = ReferenceKind::Other;  // of a Reference
  size_t offset = 0;                          // in the enclosing compound
  size_t count = 1;                           // elements of an Array
  size_t elementSize = 0;                     // of an Array's or Sequence's element
  std::vector<ReferenceLayout> parts;         // a Compound's members with references; the element otherwise
};

std::optional<ReferenceLayout> LayoutOf(hid_t type) {
  switch (H5Tget_class(type)) {
    case H5T_REFERENCE: {
      ReferenceLayout layout(ReferenceLayout::Shape::Reference);
      if (H5Tequal(type, H5T_STD_REF_OBJ) > 0) layout.kind = ReferenceKind::Object;
      else if (H5Tequal(type, H5T_STD_REF_DSETREG) > 0) layout.kind = ReferenceKind::Region;
      return layout;
    }
    case H5T_COMPOUND: {
      ReferenceLayout layout(ReferenceLayout::Shape::Compound);
      int members = H5Tget_nmembers(type);
      for (int i = 0; i < members; i++) {
        TypeId member(H5Tget_member_type(type, static_cast<unsigned>(i)));
        if (member.get() < 0) continue;
        std::optional<ReferenceLayout> part = LayoutOf(member.get());
        if (!part) continue;
        part->offset = H5Tget_member_offset(type, static_cast<unsigned>(i));
        layout.parts.push_back(std::move(*part));
      }
      if (layout.parts.empty()) return std::nullopt;
      return layout;
    }
    case H5T_ARRAY:
    case H5T_VLEN: {
      TypeId base(H5Tget_super(type));
      if (base.get() < 0) return std::nullopt;
      std::optional<ReferenceLayout> element = LayoutOf(base.get());
      if (!element) return std::nullopt;
      bool array = H5Tget_class(type) == H5T_ARRAY;
      ReferenceLayout layout(array ? ReferenceLayout::Shape::Array : ReferenceLayout::Shape::Sequence);
      layout.elementSize = H5Tget_size(base.get());
      if (array) {
        int rank = H5Tget_array_ndims(type);
        std::vector<hsize_t> dims(static_cast<size_t>(std::max(rank, 0)));
        H5Tget_array_dims2(type, dims.data());
        for (hsize_t dim : dims) layout.count *= dim;
      }
      layout.parts.push_back(std::move(*element));
      return layout;
    }
    default:
      return std::nullopt;
  }
}

bool IsZero(const uint8_t* bytes, size_t size) {
  for (size_t i = 0; i < size; i++) {
    if (bytes[i] != 0) return false;
  }
  return true;
}

class ReferenceRemapper {
 public:
  explicit ReferenceRemapper(CopiedTree& tree) : tree_(tree) {}

  void Object(const SourceObject& object) {
    std::string relative = CopiedTree::Relative(object.path);
    std::string where = tree_.Absolute(object.path);
    ObjectId source(Check(H5Oopen(tree_.source, relative.c_str(), H5P_DEFAULT), "cannot open source object", where));
    ObjectId copy(Check(H5Oopen(tree_.destination, relative.c_str(), H5P_DEFAULT), "cannot open copied object", where));
    std::vector<std::string> names;
    Check(H5Aiterate2(source.get(), H5_INDEX_NAME, H5_ITER_INC, nullptr, CollectAttributeName, &names), "cannot list attributes", where);
    for (const std::string& name : names) Attribute(source.get(), copy.get(), name, where + "@" + name);
    // A dataset whose values lay outside the source file was made again without reading them here.
    if (object.type == H5O_TYPE_DATASET && !tree_.outside.count(object.address)) Dataset(source.get(), copy.get(), where);
  }

 private:
  static herr_t CollectAttributeName(hid_t, const char* name, const H5A_info_t*, void* names) {
    static_cast<std::vector<std::string>*>(names)->push_back(name);
    return 0;
  }

  void Attribute(hid_t sourceObject, hid_t copyObject, const std::string& name, const std::string& where) {
    AttrId source(Check(H5Aopen(sourceObject, name.c_str(), H5P_DEFAULT), "cannot open attribute", where));
    TypeId sourceType(Check(H5Aget_type(source.get()), "cannot get attribute type", where));
    std::optional<ReferenceLayout> layout = LayoutOf(sourceType.get());
    if (!layout) return;
    AttrId copy(Check(H5Aopen(copyObject, name.c_str(), H5P_DEFAULT), "cannot open copied attribute", where));
    TypeId copyType(Check(H5Aget_type(copy.get()), "cannot get attribute type", where));
    SpaceId space(Check(H5Aget_space(source.get()), "cannot get attribute dataspace", where));
    hssize_t points = H5Sget_select_npoints(space.get());
    if (points <= 0 || H5Sget_simple_extent_type(space.get()) == H5S_NULL) return;
    size_t size = H5Tget_size(sourceType.get());
    ValueBuffer sourceValues(sourceType.get(), space.get(), static_cast<size_t>(points) * size);
    ValueBuffer copyValues(copyType.get(), space.get(), static_cast<size_t>(points) * size);
    Check(H5Aread(source.get(), sourceType.get(), sourceValues.data()), "cannot read attribute", where);
    sourceValues.Filled();
    Check(H5Aread(copy.get(), copyType.get(), copyValues.data()), "cannot read copied attribute", where);
    copyValues.Filled();
    Values(*layout, sourceValues.data(), copyValues.data(), static_cast<size_t>(points), size, where);
    Check(H5Awrite(copy.get(), copyType.get(), copyValues.data()), "cannot write attribute", where);
  }

  void Dataset(hid_t sourceDataset, hid_t copyDataset, const std::string& where) {
    TypeId sourceType(Check(H5Dget_type(sourceDataset), "cannot get datatype", where));
    std::optional<ReferenceLayout> layout = LayoutOf(sourceType.get());
    if (!layout) return;
    H5D_space_status_t status;
    Check(H5Dget_space_status(sourceDataset, &status), "cannot get storage status", where);
    if (status == H5D_SPACE_STATUS_NOT_ALLOCATED) return;  // only fill values, which hold no references
    TypeId copyType(Check(H5Dget_type(copyDataset), "cannot get datatype", where));
    SpaceId space(Check(H5Dget_space(sourceDataset), "cannot get dataspace", where));
    size_t size = H5Tget_size(sourceType.get());
    ForEachBlock(space.get(), size, where, [&](hid_t memory, hid_t selection, size_t count) {
      ValueBuffer sourceValues(sourceType.get(), memory, count * size);
      ValueBuffer copyValues(copyType.get(), memory, count * size);
      Check(H5Dread(sourceDataset, sourceType.get(), memory, selection, H5P_DEFAULT, sourceValues.data()), "cannot read", where);
      sourceValues.Filled();
      Check(H5Dread(copyDataset, copyType.get(), memory, selection, H5P_DEFAULT, copyValues.data()), "cannot read copy", where);
      copyValues.Filled();
      Values(*layout, sourceValues.data(), copyValues.data(), count, size, where);
      Check(H5Dwrite(copyDataset, copyType.get(), memory, selection, H5P_DEFAULT, copyValues.data()), "cannot write", where);
    });
  }

  void Values(const ReferenceLayout& layout, const uint8_t* source, uint8_t* copy, size_t count, size_t size, const std::string& where) {
    for (size_t i = 0; i < count; i++) Walk(layout, source + i * size, copy + i * size, true, where);
  }

  // `whole`: the value is the dataset's or attribute's whole type, where H5Ocopy remapped it.
  void Walk(const ReferenceLayout& layout, const uint8_t* source, uint8_t* copy, bool whole, const std::string& where) {
    switch (layout.shape) {
      case ReferenceLayout::Shape::Reference:
        if (layout.kind == ReferenceKind::Object) ObjectReference(source, copy, whole, where);
        if (layout.kind == ReferenceKind::Region) RegionReference(source, copy, whole, where);
        return;
      case ReferenceLayout::Shape::Compound:
        for (const ReferenceLayout& part : layout.parts) Walk(part, source + part.offset, copy + part.offset, false, where);
        return;
      case ReferenceLayout::Shape::Array:
        for (size_t i = 0; i < layout.count; i++) {
          Walk(layout.parts[0], source + i * layout.elementSize, copy + i * layout.elementSize, false, where);
        }
        return;
      case ReferenceLayout::Shape::Sequence: {
        hvl_t sourceSequence, copySequence;
        std::memcpy(&sourceSequence, source, sizeof(hvl_t));
        std::memcpy(&copySequence, copy, sizeof(hvl_t));
        if (sourceSequence.len != copySequence.len) FailUsage("the copy's sequence differs in length from the source's", where);
        auto* sourceElements = static_cast<const uint8_t*>(sourceSequence.p);
        auto* copyElements = static_cast<uint8_t*>(copySequence.p);
        for (size_t i = 0; i < sourceSequence.len; i++) {
          Walk(layout.parts[0], sourceElements + i * layout.elementSize, copyElements + i * layout.elementSize, false, where);
        }
        return;
      }
    }
  }

  // The path of a source object, or null when it has none.
  const std::string* PathOf(haddr_t address) const {
    auto found = tree_.pathOf.find(address);
    return found == tree_.pathOf.end() ? nullptr : &found->second;
  }

  void ObjectReference(const uint8_t* source, uint8_t* copy, bool whole, const std::string& where) {
    hobj_ref_t target;
    std::memcpy(&target, source, sizeof target);
    const std::string* path = target == 0 ? nullptr : PathOf(target);
    if (!path) {
      if (!whole) std::memset(copy, 0, sizeof(hobj_ref_t));
      return;
    }
    auto made = madeObjectReferences_.find(target);
    if (made == madeObjectReferences_.end()) {
      hobj_ref_t reference;
      Check(H5Rcreate(&reference, tree_.destination, CopiedTree::Relative(*path).c_str(), H5R_OBJECT, -1),
            "cannot make reference to " + tree_.Absolute(*path) + " in", where);
      made = madeObjectReferences_.emplace(target, reference).first;
    }
    std::memcpy(copy, &made->second, sizeof(hobj_ref_t));
  }

  void RegionReference(const uint8_t* source, uint8_t* copy, bool whole, const std::string& where) {
    auto unmapped = [&]() {
      if (!whole) std::memset(copy, 0, sizeof(hdset_reg_ref_t));
    };
    if (IsZero(source, sizeof(hdset_reg_ref_t))) return unmapped();
    ObjectId target(H5Rdereference2(tree_.source, H5P_DEFAULT, H5R_DATASET_REGION, source));
    if (target.get() < 0) {
      H5Eclear2(H5E_DEFAULT);
      return unmapped();
    }
    haddr_t address = AddressOfObject(target.get(), where);
    const std::string* path = PathOf(address);
    if (!path) return unmapped();
    // H5Ocopy's own remapping of a whole-type region reference is right unless its target was
    // made again; making it anew would leave its global-heap copy unused.
    if (whole && tree_.remade.count(address) == 0) return;
    SpaceId region(Check(H5Rget_region(tree_.source, H5R_DATASET_REGION, source), "cannot read region reference", where));
    Check(H5Rcreate(copy, tree_.destination, CopiedTree::Relative(*path).c_str(), H5R_DATASET_REGION, region.get()),
          "cannot make region reference to " + tree_.Absolute(*path) + " in", where);
  }

  CopiedTree& tree_;
  std::unordered_map<haddr_t, hobj_ref_t> madeObjectReferences_;
};

}  // namespace

void RemapReferences(CopiedTree& tree) {
  ReferenceRemapper remapper(tree);
  for (const SourceObject& object : tree.objects) remapper.Object(object);
}

}  // namespace h5dat
