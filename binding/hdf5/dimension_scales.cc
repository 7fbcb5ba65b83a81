// Dimension scales (HDF5's high-level H5DS API, what NetCDF-4 and h5py's `ds.dims` use): for one
// dataset, whether it is a scale (and its NAME), and per axis its label and the scales attached
// to it (path, NAME, size, unlimited). One call per dataset, all of it under the HDF5 lock. An
// axis whose DIMENSION_LIST cannot be followed (a dangling reference in a copied file) keeps its
// reason instead of failing the dataset: `show` must still show everything else.
#include <hdf5.h>
#include <hdf5_hl.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/h5_failure.h"
#include "core/handle.h"
#include "core/job.h"
#include "core/operations.h"
#include "core/scoped_id.h"
#include "types/dataspace.h"

namespace h5dat {
namespace {

struct AttachedScale {
  std::string path;
  std::string name;  // the scale's NAME attribute, "" when it has none
  Shape shape;
  Shape maxShape;
};

struct Axis {
  std::string label;
  std::vector<AttachedScale> scales;
  std::string error;  // why the scales of this axis could not be read, "" when they were
};

struct Dims {
  bool isScale = false;
  std::string scaleName;
  std::vector<Axis> axes;
};

// H5DSget_scale_name / H5DSget_label report the length first, then fill a buffer of length + 1.
template <typename Get>
std::string ReadName(Get get) {
  ssize_t length = get(nullptr, 0);
  if (length <= 0) return "";
  std::vector<char> buffer(static_cast<size_t>(length) + 1, '\0');
  if (get(buffer.data(), buffer.size()) < 0) return "";
  return std::string(buffer.data());
}

std::string ObjectName(hid_t id) {
  ssize_t length = H5Iget_name(id, nullptr, 0);
  if (length <= 0) return "";
  std::vector<char> buffer(static_cast<size_t>(length) + 1, '\0');
  H5Iget_name(id, buffer.data(), buffer.size());
  return std::string(buffer.data());
}

herr_t CollectScale(hid_t, unsigned, hid_t scale, void* data) {
  AttachedScale attached;
  attached.path = ObjectName(scale);
  attached.name = ReadName([scale](char* buffer, size_t size) { return H5DSget_scale_name(scale, buffer, size); });
  hid_t space = H5Dget_space(scale);
  if (space >= 0) {
    attached.shape = SpaceShape(space, &attached.maxShape);
    H5Sclose(space);
  }
  static_cast<std::vector<AttachedScale>*>(data)->push_back(std::move(attached));
  return 0;
}

// The HDF5 error stack's most specific message, for an axis that failed.
std::string AxisError(const std::string& action) {
  try {
    FailH5(action, "");
  } catch (const H5Failure& failure) {
    return failure.message;
  }
}

Napi::Value ShapeOrNull(Napi::Env env, const Shape& shape, bool maxShape) {
  return shape ? ShapeToJs(env, shape, maxShape) : env.Null();
}

// datasetDims(dataset) → { isScale, scaleName, axes: [{ label, scales: [{ path, name, shape, maxshape }], error? }] }
Job DatasetDims(const Napi::CallbackInfo& info) {
  Job job;
  Handle* dataset = PinnedHandle(job, info[0]);
  auto dims = std::make_shared<Dims>();
  job.Locked([dataset, dims]() {
    hid_t id = dataset->Id();
    const std::string& path = dataset->Path();
    if (dataset->Kind() != HandleKind::Dataset) FailUsage("dimension scales belong to datasets", path);
    dims->isScale = Check(H5DSis_scale(id), "cannot tell whether it is a dimension scale:", path) > 0;
    if (dims->isScale) dims->scaleName = ReadName([id](char* buffer, size_t size) { return H5DSget_scale_name(id, buffer, size); });
    SpaceId space(Check(H5Dget_space(id), "cannot get dataspace of", path));
    int rank = H5Sget_simple_extent_ndims(space.get());
    for (int axis = 0; axis < rank; axis++) {
      Axis entry;
      unsigned index = static_cast<unsigned>(axis);
      entry.label = ReadName([id, index](char* buffer, size_t size) { return H5DSget_label(id, index, buffer, size); });
      int count = H5DSget_num_scales(id, index);
      if (count < 0) {
        entry.error = AxisError("cannot read DIMENSION_LIST");
      } else if (count > 0) {
        int next = 0;
        if (H5DSiterate_scales(id, index, &next, CollectScale, &entry.scales) < 0) {
          entry.error = AxisError("cannot follow the references in DIMENSION_LIST");
        }
      }
      dims->axes.push_back(std::move(entry));
    }
  });
  job.done = [dims](Napi::Env env) -> Napi::Value {
    Napi::Object result = Napi::Object::New(env);
    result.Set("isScale", dims->isScale);
    result.Set("scaleName", dims->isScale ? Napi::Value(Napi::String::New(env, dims->scaleName)) : env.Null());
    Napi::Array axes = Napi::Array::New(env, dims->axes.size());
    for (size_t i = 0; i < dims->axes.size(); i++) {
      const Axis& axis = dims->axes[i];
      Napi::Object entry = Napi::Object::New(env);
      entry.Set("label", axis.label);
      Napi::Array scales = Napi::Array::New(env, axis.scales.size());
      for (size_t j = 0; j < axis.scales.size(); j++) {
        Napi::Object scale = Napi::Object::New(env);
        scale.Set("path", axis.scales[j].path);
        scale.Set("name", axis.scales[j].name);
        scale.Set("shape", ShapeOrNull(env, axis.scales[j].shape, false));
        scale.Set("maxshape", ShapeOrNull(env, axis.scales[j].maxShape, true));
        scales.Set(j, scale);
      }
      entry.Set("scales", scales);
      if (!axis.error.empty()) entry.Set("error", axis.error);
      axes.Set(i, entry);
    }
    result.Set("axes", axes);
    return result;
  };
  return job;
}

}  // namespace

void InitDimensionScales(Napi::Env env, Napi::Object exports) { ExportJobs(env, exports, {{"datasetDims", DatasetDims}}); }

}  // namespace h5dat
