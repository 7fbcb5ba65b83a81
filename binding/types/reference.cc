// Stored references to and from JS paths (see reference.h).
#include "types/reference.h"

#include <cstring>

#include "core/h5_failure.h"
#include "core/scoped_id.h"

namespace h5dat {
namespace {

// Points or blocks a region holds at most: a corrupt region claims any count.
constexpr hsize_t kMaxRegionCoordinates = hsize_t(1) << 24;

void DescribeSelection(hid_t space, ReferenceValue& ref, const std::string& path) {
  ref.rank = H5Sget_simple_extent_ndims(space);
  if (ref.rank < 0) FailH5("cannot read the region of a reference in", path);
  switch (H5Sget_select_type(space)) {
    case H5S_SEL_NONE:
      ref.selection = "none";
      break;
    case H5S_SEL_ALL:
      ref.selection = "all";
      break;
    case H5S_SEL_POINTS: {
      ref.selection = "points";
      hssize_t count = Check(H5Sget_select_elem_npoints(space), "cannot count the points of a region in", path);
      if (static_cast<hsize_t>(count) * ref.rank > kMaxRegionCoordinates) FailUsage("a region reference has too many points", path);
      ref.coordinates.resize(static_cast<size_t>(count) * ref.rank);
      Check(H5Sget_select_elem_pointlist(space, 0, count, ref.coordinates.data()), "cannot read the points of a region in", path);
      break;
    }
    case H5S_SEL_HYPERSLABS: {
      ref.selection = "hyperslab";
      hssize_t count = Check(H5Sget_select_hyper_nblocks(space), "cannot count the blocks of a region in", path);
      if (static_cast<hsize_t>(count) * ref.rank * 2 > kMaxRegionCoordinates) FailUsage("a region reference has too many blocks", path);
      ref.coordinates.resize(static_cast<size_t>(count) * ref.rank * 2);
      Check(H5Sget_select_hyper_blocklist(space, 0, count, ref.coordinates.data()), "cannot read the blocks of a region in", path);
      break;
    }
    default:
      FailUsage("a region reference has an unknown kind of selection", path);
  }
}


ReferenceValue ResolvedFromName(std::string name) {
  ReferenceValue ref;
  ref.isNull = false;
  ref.path = std::move(name);
  return ref;
}

}  // namespace

std::optional<std::string> ReferenceResolver::ObjectPath(const std::string& kind, H5R_type_t type, const void* ref) {
  ssize_t length = H5Rget_name(loc_, type, ref, nullptr, 0);
  if (length <= 0) {
    // No name: H5Rget_name does not look at the target, so open it to tell an object without a
    // path (an anonymous one: null, as h5py's .name is None) from an address of no object.
    hid_t target = H5Rdereference2(loc_, H5P_DEFAULT, type, ref);
    if (target < 0) FailH5(kind + " reference points to no object in", path_);
    H5Oclose(target);
    return std::nullopt;
  }
  std::string name(static_cast<size_t>(length) + 1, '\0');
  H5Rget_name(loc_, type, ref, name.data(), name.size());
  name.resize(static_cast<size_t>(length));
  return name;
}

ReferenceValue ReferenceResolver::Resolve(const TypeSpec& type, const uint8_t* slot) {
  ReferenceValue ref;
  if (type.refKind == "object") {
    haddr_t address;
    std::memcpy(&address, slot, sizeof address);
    if (address == 0 || address == HADDR_UNDEF) return ref;
    auto known = objectNames_.find(address);
    if (known != objectNames_.end()) return ResolvedFromName(known->second);
    std::optional<std::string> name = ObjectPath("an object", H5R_OBJECT, slot);
    if (!name) return ref;
    objectNames_[address] = *name;
    return ResolvedFromName(*name);
  }
  if (type.refKind == "region") {
    static const uint8_t zero[sizeof(hdset_reg_ref_t)] = {0};
    if (std::memcmp(slot, zero, sizeof zero) == 0) return ref;
    std::optional<std::string> name = ObjectPath("a region", H5R_DATASET_REGION, slot);
    if (!name) return ref;
    ref = ResolvedFromName(*name);
    ref.region = true;
    SpaceId space(Check(H5Rget_region(loc_, H5R_DATASET_REGION, slot), "cannot read the region of a reference in", path_));
    DescribeSelection(space.get(), ref, path_);
    return ref;
  }
  // HDF5 1.12's reference: object, region or attribute.
  H5R_ref_t* any = reinterpret_cast<H5R_ref_t*>(const_cast<uint8_t*>(slot));
  H5R_type_t kind = H5Rget_type(any);
  if (kind <= H5R_BADTYPE || kind >= H5R_MAXTYPE) return ref;
  ssize_t length = H5Rget_obj_name(any, H5P_DEFAULT, nullptr, 0);
  if (length < 0) FailH5("a reference points to no object in", path_);
  std::string name(static_cast<size_t>(length) + 1, '\0');
  H5Rget_obj_name(any, H5P_DEFAULT, name.data(), name.size());
  name.resize(static_cast<size_t>(length));
  if (kind == H5R_ATTR) {
    ssize_t attrLength = Check(H5Rget_attr_name(any, nullptr, 0), "cannot read the attribute of a reference in", path_);
    std::string attr(static_cast<size_t>(attrLength) + 1, '\0');
    H5Rget_attr_name(any, attr.data(), attr.size());
    attr.resize(static_cast<size_t>(attrLength));
    name += "@" + attr;
  }
  ref = ResolvedFromName(name);
  if (kind == H5R_DATASET_REGION2 || kind == H5R_DATASET_REGION1) {
    ref.region = true;
    SpaceId space(Check(H5Ropen_region(any, H5P_DEFAULT, H5P_DEFAULT), "cannot read the region of a reference in", path_));
    DescribeSelection(space.get(), ref, path_);
  }
  return ref;
}

namespace {

// `space` with the selection of `target` in it. Lock held.
void SelectRegion(hid_t space, const ReferenceValue& target, const std::string& path) {
  int rank = H5Sget_simple_extent_ndims(space);
  if (target.selection != "all" && target.selection != "none" && target.rank != rank) {
    FailUsage("a region of '" + target.path + "' needs " + std::to_string(rank) + " coordinates per point", path);
  }
  size_t perItem = static_cast<size_t>(rank) * (target.selection == "hyperslab" ? 2 : 1);
  size_t items = perItem ? target.coordinates.size() / perItem : 0;
  if (target.selection == "all") {
    Check(H5Sselect_all(space), "cannot select a region in", path);
  } else if (target.selection == "none") {
    Check(H5Sselect_none(space), "cannot select a region in", path);
  } else if (target.selection == "points") {
    if (items == 0) Check(H5Sselect_none(space), "cannot select a region in", path);
    else Check(H5Sselect_elements(space, H5S_SELECT_SET, items, target.coordinates.data()), "cannot select the points of a region in", path);
  } else if (target.selection == "hyperslab") {
    Check(H5Sselect_none(space), "cannot select a region in", path);
    std::vector<hsize_t> ones(static_cast<size_t>(rank), 1), block(static_cast<size_t>(rank));
    for (size_t i = 0; i < items; i++) {
      const hsize_t* start = &target.coordinates[i * perItem];
      for (int d = 0; d < rank; d++) block[d] = start[rank + d] - start[d] + 1;
      Check(H5Sselect_hyperslab(space, H5S_SELECT_OR, start, nullptr, ones.data(), block.data()),
            "cannot select the blocks of a region in", path);
    }
  } else {
    FailUsage("a region's selection kind is all, none, points or hyperslab, not '" + target.selection + "'", path);
  }
  if (H5Sselect_valid(space) <= 0) FailUsage("a region selects outside of '" + target.path + "'", path);
}

}  // namespace

void MakeReference(hid_t loc, const ReferenceValue& target, const TypeSpec& type, uint8_t* slot, const std::string& path) {
  std::memset(slot, 0, type.size);
  if (target.isNull) return;
  bool region = type.refKind == "region";
  if (type.refKind == "any") FailUsage("h5dat writes object and region references, not HDF5 1.12's H5T_STD_REF", path);
  if (region != target.region) {
    FailUsage(region ? "a region reference needs { path, selection }" : "an object reference is a path", path);
  }
  if (loc < 0) FailUsage("a reference cannot be written here (fill values hold no references)", path);
  if (H5Oexists_by_name(loc, target.path.c_str(), H5P_DEFAULT) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    FailUsage("reference target '" + target.path + "' does not exist", path);
  }
  if (!region) {
    Check(H5Rcreate(slot, loc, target.path.c_str(), H5R_OBJECT, -1), "cannot make a reference to '" + target.path + "' in", path);
    return;
  }
  hid_t dataset = H5Dopen2(loc, target.path.c_str(), H5P_DEFAULT);
  if (dataset < 0) FailH5("a region reference's target '" + target.path + "' is not a dataset, in", path);
  SpaceId space(H5Dget_space(dataset));
  H5Dclose(dataset);
  if (space.get() < 0) FailH5("cannot get the dataspace of '" + target.path + "' for", path);
  SelectRegion(space.get(), target, path);
  Check(H5Rcreate(slot, loc, target.path.c_str(), H5R_DATASET_REGION, space.get()),
        "cannot make a region reference to '" + target.path + "' in", path);
}

}  // namespace h5dat
