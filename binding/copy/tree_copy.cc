// Copying a whole HDF5 file into a group. H5Ocopy of the source root, with
// H5O_COPY_EXPAND_REFERENCE_FLAG, copies the tree once per object (hard links stay one object,
// committed datatypes stay shared, chunks and filters are kept, external and relative soft links
// are kept as they are) and remaps references whose whole type is a reference. What it leaves
// wrong is fixed around it:
// 0. before it, a source whose raw data lies past its end is refused (storage_bounds.cc), and
//    after it the "~obj_pointed_by_<address>" links it adds to the destination's root go;
// 1. datasets whose variable-length fill value it copies unconverted are made again
//    (vlen_fill_copy.cc; NetCDF-4 string variables all have one);
// 2. absolute soft links, which now point outside the copy, are moved under it, and the links to
//    remade datasets replaced, keeping creation order (link_order.cc);
// 3. storage outside the source file (external raw data, virtual datasets, external links), which
//    it keeps naming host files, is made again from inside the input or dropped (external_copy.cc);
// 4. references inside compounds, arrays and sequences, which it copies verbatim (the source's
//    addresses), and references to remade datasets are made anew (reference_remap.cc).
#include "copy/tree_copy.h"

#include <H5VLnative.h>

#include <algorithm>
#include <cstring>
#include <set>

#include "core/h5_failure.h"
#include "core/scoped_id.h"
#include "hdf5/object_path.h"

namespace h5dat {
namespace {

using GroupId = ScopedId<H5Gclose>;

herr_t CollectSourceObject(hid_t source, const char* name, const H5O_info2_t* info, void* out) {
  auto* tree = static_cast<CopiedTree*>(out);
  std::string path = name[0] == '.' && name[1] == '\0' ? "" : name;
  haddr_t address = AddressOf(source, info->token);
  tree->objects.push_back({address, path, info->type});
  tree->pathOf.emplace(address, path);
  return 0;
}

// Every link once (a group reached by two hard links is walked once, as H5Lvisit does).
herr_t CollectSourceLink(hid_t source, const char* name, const H5L_info2_t* info, void* out) {
  auto* tree = static_cast<CopiedTree*>(out);
  if (info->type == H5L_TYPE_HARD) {
    tree->linksTo[AddressOf(source, info->u.token)].push_back(name);
  } else if (info->type == H5L_TYPE_SOFT) {
    std::vector<char> target(info->u.val_size + 1, 0);
    if (H5Lget_val(source, name, target.data(), target.size(), H5P_DEFAULT) < 0) return -1;
    tree->softLinks.emplace_back(name, target.data());
  } else if (info->type == H5L_TYPE_EXTERNAL) {
    std::vector<char> value(info->u.val_size + 1, 0);
    if (H5Lget_val(source, name, value.data(), value.size(), H5P_DEFAULT) < 0) return -1;
    const char *file = nullptr, *object = nullptr;
    unsigned flags;
    if (H5Lunpack_elink_val(value.data(), value.size(), &flags, &file, &object) < 0) return -1;
    tree->externalLinks.push_back({name, file ? file : "", object ? object : ""});
  }
  return 0;
}

// H5Ocopy links each object it copies because a reference points to it into the destination
// file's root group, as "~obj_pointed_by_<address>", even when the object is in the copied tree
// (and so linked there too).
constexpr char kReferencedCopyPrefix[] = "~obj_pointed_by_";

herr_t CollectReferencedCopy(hid_t, const char* name, const H5L_info2_t*, void* names) {
  if (std::strncmp(name, kReferencedCopyPrefix, sizeof kReferencedCopyPrefix - 1) == 0) {
    static_cast<std::set<std::string>*>(names)->insert(name);
  }
  return 0;
}

std::set<std::string> ReferencedCopyLinks(hid_t file, const std::string& where) {
  std::set<std::string> names;
  Check(H5Literate2(file, H5_INDEX_NAME, H5_ITER_INC, nullptr, CollectReferencedCopy, &names), "cannot list the root group", where);
  return names;
}

// Removes the links H5Ocopy added to the root (`before` were there already). An object linked
// nowhere else (none, in a valid source: a reference does not keep its target alive) is moved
// into the copy under the same name, so that its references still lead somewhere.
void RemoveReferencedCopyLinks(hid_t file, hid_t copy, const std::set<std::string>& before, const std::string& where) {
  for (const std::string& name : ReferencedCopyLinks(file, where)) {
    if (before.count(name)) continue;
    H5O_info2_t info;
    Check(H5Oget_info_by_name3(file, name.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT), "cannot get object info", "/" + name);
    if (info.rc > 1) {
      Check(H5Ldelete(file, name.c_str(), H5P_DEFAULT), "cannot delete link", "/" + name);
    } else {
      Check(H5Lmove(file, name.c_str(), copy, name.c_str(), H5P_DEFAULT, H5P_DEFAULT), "cannot move link", "/" + name);
    }
  }
}

// The group a link is in and the link's own name: "a/b/c" → ("a/b", "c"), "c" → ("", "c").
std::pair<std::string, std::string> SplitLinkPath(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return {"", path};
  return {path.substr(0, slash), path.substr(slash + 1)};
}

// An absolute soft link pointed into the source file; under the copy it must point into the copy.
void MoveAbsoluteSoftLinks(CopiedTree& tree) {
  for (const auto& [path, target] : tree.softLinks) {
    if (target.empty() || target[0] != '/') continue;
    auto [group, name] = SplitLinkPath(path);
    std::string moved = target.find_first_not_of('/') == std::string::npos ? tree.prefix : tree.prefix + target;
    tree.replacements[group].push_back({name, moved, H5I_INVALID_HID});
  }
}

void ApplyLinkReplacements(CopiedTree& tree) {
  for (const auto& [group, replacements] : tree.replacements) {
    std::string where = tree.Absolute(group);
    GroupId opened(Check(H5Gopen2(tree.destination, CopiedTree::Relative(group).c_str(), H5P_DEFAULT), "cannot open group", where));
    ReplaceLinks(opened.get(), where, replacements);
  }
}

// The hard-link objects that replacements hold, closed whatever happens.
struct ReplacementObjects {
  CopiedTree& tree;
  ~ReplacementObjects() {
    for (auto& [group, replacements] : tree.replacements) {
      for (auto& replacement : replacements) {
        if (replacement.object >= 0) H5Oclose(replacement.object);
        replacement.object = H5I_INVALID_HID;
      }
    }
  }
};

}  // namespace

haddr_t AddressOf(hid_t loc, const H5O_token_t& token) {
  haddr_t address = HADDR_UNDEF;
  if (H5VLnative_token_to_addr(loc, token, &address) < 0) FailH5("cannot read object token", "");
  return address;
}

haddr_t AddressOfObject(hid_t object, const std::string& where) {
  H5O_info2_t info;
  Check(H5Oget_info3(object, &info, H5O_INFO_BASIC), "cannot get object info", where);
  return AddressOf(object, info.token);
}

void ForEachBlock(hid_t space, size_t elementSize, const std::string& where,
                  const std::function<void(hid_t memory, hid_t selection, size_t values)>& block) {
  constexpr size_t kBlockBytes = 16 << 20;
  H5S_class_t shape = H5Sget_simple_extent_type(space);
  if (shape == H5S_NULL) return;
  if (shape == H5S_SCALAR) return block(space, space, 1);
  int rank = Check(H5Sget_simple_extent_ndims(space), "cannot get rank", where);
  std::vector<hsize_t> dims(static_cast<size_t>(rank));
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  hsize_t rowValues = 1;
  for (size_t i = 1; i < dims.size(); i++) rowValues *= dims[i];
  if (rowValues == 0) return;
  hsize_t rows = std::max<hsize_t>(1, kBlockBytes / (rowValues * std::max<size_t>(elementSize, 1)));
  for (hsize_t start = 0; start < dims[0]; start += rows) {
    std::vector<hsize_t> offset(dims.size(), 0), count(dims);
    offset[0] = start;
    count[0] = std::min(rows, dims[0] - start);
    SpaceId selection(Check(H5Scopy(space), "cannot copy dataspace", where));
    Check(H5Sselect_hyperslab(selection.get(), H5S_SELECT_SET, offset.data(), nullptr, count.data(), nullptr), "cannot select", where);
    SpaceId memory(Check(H5Screate_simple(rank, count.data(), nullptr), "cannot create dataspace", where));
    block(memory.get(), selection.get(), static_cast<size_t>(count[0] * rowValues));
  }
}

bool HasVariableLength(hid_t type) {
  switch (H5Tget_class(type)) {
    case H5T_VLEN:
      return true;
    case H5T_STRING:
      return H5Tis_variable_str(type) > 0;
    case H5T_ARRAY: {
      TypeId base(H5Tget_super(type));
      return base.get() >= 0 && HasVariableLength(base.get());
    }
    case H5T_COMPOUND: {
      int members = H5Tget_nmembers(type);
      for (int i = 0; i < members; i++) {
        TypeId member(H5Tget_member_type(type, static_cast<unsigned>(i)));
        if (member.get() >= 0 && HasVariableLength(member.get())) return true;
      }
      return false;
    }
    default:
      return false;
  }
}

void CopyFileTree(hid_t sourceFile, hid_t destination, const std::string& name, const std::string& where, CopiedTree& tree) {
  tree.source = sourceFile;
  tree.prefix = where;
  Check(H5Ovisit3(sourceFile, H5_INDEX_NAME, H5_ITER_INC, CollectSourceObject, &tree, H5O_INFO_BASIC),
        "cannot walk the source file", where);
  Check(H5Lvisit2(sourceFile, H5_INDEX_NAME, H5_ITER_INC, CollectSourceLink, &tree), "cannot walk the source file's links", where);
  CheckStorageInFile(tree);

  PlistId copyList(Check(H5Pcreate(H5P_OBJECT_COPY), "cannot create object copy list", where));
  // Objects that references point to are copied too, once (those inside the tree are copied
  // anyway), and the references in datasets and attributes of reference type remapped to them.
  Check(H5Pset_copy_object(copyList.get(), H5O_COPY_EXPAND_REFERENCE_FLAG), "cannot set copy flags", where);
  PlistId lcpl(LinkCreationList());
  GroupId root(Check(H5Gopen2(destination, "/", H5P_DEFAULT), "cannot open the root group", where));
  std::set<std::string> before = ReferencedCopyLinks(root.get(), where);
  if (H5Ocopy(sourceFile, ".", destination, name.c_str(), copyList.get(), lcpl.get()) < 0) {
    try {
      FailH5("cannot copy the file to", where);  // takes HDF5's error stack before the cleanup
    } catch (H5Failure& failure) {
      if (failure.message.find("version out of bounds") != std::string::npos) {
        // e.g. HDF5 1.12 references (H5T_STD_REF), whose datatype message is version 4.
        failure.message += ": the file uses object formats newer than HDF5 1.10's, which h5dat files keep to (h5py on HDF5 1.10 reads them)";
      }
      // A copy that failed half-way may have linked referenced objects into the root already.
      try {
        for (const std::string& added : ReferencedCopyLinks(root.get(), where)) {
          if (!before.count(added)) H5Ldelete(root.get(), added.c_str(), H5P_DEFAULT);
        }
      } catch (const H5Failure&) {
        // The copy's own failure is the one to report.
      }
      throw;
    }
  }
  GroupId copy(Check(H5Gopen2(destination, name.c_str(), H5P_DEFAULT), "cannot open the copy", where));
  RemoveReferencedCopyLinks(root.get(), copy.get(), before, where);
  tree.destination = copy.get();
  tree.prefix = ObjectPath(copy.get(), where);

  ReplacementObjects closeLater{tree};
  if (!tree.keepOutside) ContainOutsideStorage(tree);
  RemakeVariableLengthFillDatasets(tree);
  MoveAbsoluteSoftLinks(tree);
  ApplyLinkReplacements(tree);
  if (!tree.keepOutside) DropExternalLinks(tree);
  RemapReferences(tree);
}

}  // namespace h5dat
