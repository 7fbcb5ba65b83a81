// Replacing links without reordering the group. A new link goes last in a group that tracks link
// creation order, and NetCDF-4 numbers variables and dimensions in that order; so every link
// after the first replaced one is moved out and back (H5Lmove gives it a new, later order),
// which keeps their order and the objects they hold.
#include <algorithm>
#include <vector>

#include "copy/tree_copy.h"
#include "core/h5_failure.h"
#include "core/job.h"
#include "core/scoped_id.h"

namespace h5dat {
namespace {

bool TracksCreationOrder(hid_t group) {
  PlistId gcpl(H5Gget_create_plist(group));
  unsigned flags = 0;
  return gcpl.get() >= 0 && H5Pget_link_creation_order(gcpl.get(), &flags) >= 0 && (flags & H5P_CRT_ORDER_TRACKED) != 0;
}

// A link creation list for `name` as it is now: the same character set.
hid_t SameNameList(hid_t group, const std::string& name, const std::string& where) {
  H5L_info2_t info;
  Check(H5Lget_info2(group, name.c_str(), &info, H5P_DEFAULT), "cannot get link info", where + "/" + name);
  hid_t lcpl = Check(H5Pcreate(H5P_LINK_CREATE), "cannot create link list", where);
  H5Pset_char_encoding(lcpl, info.cset);
  return lcpl;
}

void Replace(hid_t group, const std::string& where, const LinkReplacement& replacement) {
  const std::string& name = replacement.name;
  PlistId lcpl(SameNameList(group, name, where));
  Check(H5Ldelete(group, name.c_str(), H5P_DEFAULT), "cannot delete link", where + "/" + name);
  herr_t made = replacement.object >= 0 ? H5Olink(replacement.object, group, name.c_str(), lcpl.get(), H5P_DEFAULT)
                                        : H5Lcreate_soft(replacement.softTarget.c_str(), group, name.c_str(), lcpl.get(), H5P_DEFAULT);
  Check(made, "cannot create link", where + "/" + name);
}

// Moves the link out and back, so that it goes last in creation order.
void MoveToEnd(hid_t group, const std::string& where, const std::string& name) {
  std::string aside = name + " (h5dat relink)";
  while (H5Lexists(group, aside.c_str(), H5P_DEFAULT) > 0) aside += "~";
  PlistId lcpl(SameNameList(group, name, where));
  Check(H5Lmove(group, name.c_str(), group, aside.c_str(), lcpl.get(), H5P_DEFAULT), "cannot move link", where + "/" + name);
  Check(H5Lmove(group, aside.c_str(), group, name.c_str(), lcpl.get(), H5P_DEFAULT), "cannot move link", where + "/" + name);
}

}  // namespace

void ReplaceLinks(hid_t group, const std::string& where, const std::vector<LinkReplacement>& replacements) {
  auto replacementOf = [&replacements](const std::string& name) -> const LinkReplacement* {
    auto found = std::find_if(replacements.begin(), replacements.end(), [&name](const LinkReplacement& r) { return r.name == name; });
    return found == replacements.end() ? nullptr : &*found;
  };
  if (!TracksCreationOrder(group)) {
    for (const LinkReplacement& replacement : replacements) Replace(group, where, replacement);
    return;
  }
  std::vector<std::string> names;
  Check(H5Literate2(group, H5_INDEX_CRT_ORDER, H5_ITER_INC, nullptr, CollectName<H5L_info2_t>, &names),
        "cannot list links", where);
  auto first = std::find_if(names.begin(), names.end(), [&](const std::string& name) { return replacementOf(name) != nullptr; });
  for (auto name = first; name != names.end(); ++name) {
    const LinkReplacement* replacement = replacementOf(*name);
    if (replacement) {
      Replace(group, where, *replacement);
    } else {
      MoveToEnd(group, where, *name);
    }
  }
}

}  // namespace h5dat
