// Path helpers shared by the object operations (see object_path.h).
#include "hdf5/object_path.h"

#include <vector>

namespace h5dat {

std::string AttrPathOf(const std::string& objectPath, const std::string& name) {
  return (objectPath.empty() ? "/" : objectPath) + "@" + name;
}

std::string JoinPath(const std::string& base, const std::string& name) {
  if (!name.empty() && name[0] == '/') return name;
  if (name.empty() || name == ".") return base;
  if (base.empty() || base == "/") return "/" + name;
  return base + "/" + name;
}

std::string ObjectPath(hid_t id, const std::string& fallback) {
  ssize_t length = H5Iget_name(id, nullptr, 0);
  if (length <= 0) return fallback;
  std::vector<char> name(static_cast<size_t>(length) + 1, 0);
  H5Iget_name(id, name.data(), name.size());
  return name.data();
}

bool LinkPathExists(hid_t loc, const std::string& name, hid_t lapl) {
  if (name.empty() || name == "/" || name == ".") return true;
  size_t at = name[0] == '/' ? 1 : 0;
  while (at <= name.size()) {
    size_t slash = name.find('/', at);
    std::string prefix = name.substr(0, slash == std::string::npos ? name.size() : slash);
    if (slash != at && H5Lexists(loc, prefix.c_str(), lapl) <= 0) {
      H5Eclear2(H5E_DEFAULT);
      return false;
    }
    if (slash == std::string::npos) break;
    at = slash + 1;
  }
  return true;
}

bool PathExists(hid_t loc, const std::string& name, hid_t lapl) {
  if (!LinkPathExists(loc, name, lapl)) return false;
  htri_t exists = H5Oexists_by_name(loc, name.c_str(), lapl);
  H5Eclear2(H5E_DEFAULT);
  return exists > 0;
}

hid_t LinkCreationList() {
  hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
  if (lcpl < 0) return lcpl;
  H5Pset_create_intermediate_group(lcpl, 1);
  H5Pset_char_encoding(lcpl, H5T_CSET_UTF8);
  return lcpl;
}

}  // namespace h5dat
