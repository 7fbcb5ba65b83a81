// Datasets whose fill value H5Ocopy copies unconverted. A variable-length fill value (NetCDF-4
// gives every string variable one) is stored as a global-heap id; H5Ocopy (HDF5 1.14.5) copies
// the fill message as it is, so in the copy that id names the source file's heap, and the
// dataset cannot even be opened with its properties (h5py fails on it: "bad global heap
// collection signature"). Such a dataset is made again from the source's creation properties,
// as h5repack does for variable-length data: its values and the copy's attributes (references
// as H5Ocopy remapped them) go over, and every hard link to the copy is pointed at it.
#include "copy/tree_copy.h"
#include "core/h5_failure.h"
#include "core/job.h"
#include "core/scoped_id.h"

namespace h5dat {
namespace {

using DatasetId = ScopedId<H5Dclose>;

// The values of `source` into `made`.
void CopyValues(hid_t source, hid_t made, hid_t type, const std::string& where) {
  H5D_space_status_t status;
  Check(H5Dget_space_status(source, &status), "cannot get storage status", where);
  if (status == H5D_SPACE_STATUS_NOT_ALLOCATED) return;  // all fill: so is the new one
  SpaceId space(Check(H5Dget_space(source), "cannot get dataspace", where));
  size_t size = H5Tget_size(type);
  ForEachBlock(space.get(), size, where, [&](hid_t memory, hid_t selection, size_t count) {
    ValueBuffer values(type, memory, count * size);
    Check(H5Dread(source, type, memory, selection, H5P_DEFAULT, values.data()), "cannot read", where);
    values.Filled();
    Check(H5Dwrite(made, type, memory, selection, H5P_DEFAULT, values.data()), "cannot write", where);
  });
}

void Remake(CopiedTree& tree, const SourceObject& object) {
  if (tree.outside.count(object.address)) return;  // made again already (external_copy.cc)
  std::string where = tree.Absolute(object.path);
  std::string relative = CopiedTree::Relative(object.path);
  DatasetId source(Check(H5Dopen2(tree.source, relative.c_str(), H5P_DEFAULT), "cannot open source dataset", where));
  PlistId dcpl(Check(H5Dget_create_plist(source.get()), "cannot get creation properties", where));
  H5D_fill_value_t fill;
  Check(H5Pfill_value_defined(dcpl.get(), &fill), "cannot get fill value", where);
  TypeId type(Check(H5Dget_type(source.get()), "cannot get datatype", where));
  if (fill != H5D_FILL_VALUE_USER_DEFINED || !HasVariableLength(type.get())) return;

  TypeId creationType(CreationType(tree, type.get(), where));
  SpaceId space(Check(H5Dget_space(source.get()), "cannot get dataspace", where));
  DatasetId made(Check(H5Dcreate_anon(tree.destination, creationType.get(), space.get(), dcpl.get(), H5P_DEFAULT),
                       "cannot make the dataset again", where));
  CopyValues(source.get(), made.get(), type.get(), where);
  {
    DatasetId copied(Check(H5Dopen2(tree.destination, relative.c_str(), H5P_DEFAULT), "cannot open copied dataset", where));
    CopyAttributes(copied.get(), made.get(), where);
  }
  AdoptRemade(tree, object, made.get(), where);
}

}  // namespace

namespace {

// Attribute names of `object` in creation order where it is tracked (and indexed), else by name.
std::vector<std::string> AttributeNames(hid_t object, const std::string& where) {
  std::vector<std::string> names;
  if (H5Aiterate2(object, H5_INDEX_CRT_ORDER, H5_ITER_INC, nullptr, CollectName<H5A_info_t>, &names) >= 0) return names;
  H5Eclear2(H5E_DEFAULT);
  names.clear();
  Check(H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_INC, nullptr, CollectName<H5A_info_t>, &names), "cannot list attributes", where);
  return names;
}

}  // namespace

void CopyAttributes(hid_t from, hid_t to, const std::string& where) {
  for (const std::string& name : AttributeNames(from, where)) {
    std::string at = where + "@" + name;
    AttrId attribute(Check(H5Aopen(from, name.c_str(), H5P_DEFAULT), "cannot open attribute", at));
    H5A_info_t info;
    Check(H5Aget_info(attribute.get(), &info), "cannot get attribute info", at);
    TypeId type(Check(H5Aget_type(attribute.get()), "cannot get attribute type", at));
    SpaceId space(Check(H5Aget_space(attribute.get()), "cannot get attribute dataspace", at));
    PlistId acpl(Check(H5Pcreate(H5P_ATTRIBUTE_CREATE), "cannot create attribute list", at));
    H5Pset_char_encoding(acpl.get(), info.cset);
    AttrId made(Check(H5Acreate2(to, name.c_str(), type.get(), space.get(), acpl.get(), H5P_DEFAULT), "cannot create attribute", at));
    hssize_t points = H5Sget_select_npoints(space.get());
    if (points <= 0 || H5Sget_simple_extent_type(space.get()) == H5S_NULL) continue;
    ValueBuffer values(type.get(), space.get(), static_cast<size_t>(points) * H5Tget_size(type.get()));
    Check(H5Aread(attribute.get(), type.get(), values.data()), "cannot read attribute", at);
    values.Filled();
    Check(H5Awrite(made.get(), type.get(), values.data()), "cannot write attribute", at);
  }
}

// The type to make the dataset with: the copy of its committed type when it has one.
hid_t CreationType(const CopiedTree& tree, hid_t type, const std::string& where) {
  if (H5Tcommitted(type) <= 0) return Check(H5Tcopy(type), "cannot copy datatype", where);
  auto committed = tree.pathOf.find(AddressOfObject(type, where));
  if (committed == tree.pathOf.end()) return Check(H5Tcopy(type), "cannot copy datatype", where);
  return Check(H5Topen2(tree.destination, CopiedTree::Relative(committed->second).c_str(), H5P_DEFAULT),
               "cannot open committed datatype", tree.Absolute(committed->second));
}

void AdoptRemade(CopiedTree& tree, const SourceObject& object, hid_t made, const std::string& where) {
  for (const std::string& link : tree.linksTo[object.address]) {
    size_t slash = link.rfind('/');
    std::string group = slash == std::string::npos ? "" : link.substr(0, slash);
    std::string name = slash == std::string::npos ? link : link.substr(slash + 1);
    // Each replacement holds (and later closes) its own reference to the new dataset.
    Check(H5Iinc_ref(made), "cannot hold dataset", where);
    tree.replacements[group].push_back({name, "", made});
  }
  tree.remade.insert(object.address);
}

void RemakeVariableLengthFillDatasets(CopiedTree& tree) {
  for (const SourceObject& object : tree.objects) {
    if (object.type == H5O_TYPE_DATASET) Remake(tree, object);
  }
}

}  // namespace h5dat
