#pragma once
// Path helpers shared by the object operations.
#include <hdf5.h>

#include <string>

namespace h5dat {

// "/a" + "b/c" → "/a/b/c"; an absolute name stays as it is.
std::string JoinPath(const std::string& base, const std::string& name);
// How messages name an attribute: "/path/of/object@name".
std::string AttrPathOf(const std::string& objectPath, const std::string& name);
// The object's own path in its file, or `fallback` when HDF5 has none (anonymous objects).
std::string ObjectPath(hid_t id, const std::string& fallback);
// Whether every link along `name` exists (H5Lexists alone fails on a missing intermediate);
// `lapl` decides whether external links on the way are followed (external_access.h).
bool LinkPathExists(hid_t loc, const std::string& name, hid_t lapl = H5P_DEFAULT);
// As LinkPathExists, and the final link resolves to an object (a dangling soft link does not).
bool PathExists(hid_t loc, const std::string& name, hid_t lapl = H5P_DEFAULT);

// A link creation list that makes missing intermediate groups (as h5py does) and stores names
// as UTF-8. Caller closes. Lock held.
hid_t LinkCreationList();

}  // namespace h5dat
