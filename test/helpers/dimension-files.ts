// Files with dimension scales made by other libraries, for the dims, show, ls and export tests:
// a NetCDF-4 file by Debian's python3-netcdf4 (an UNLIMITED dimension, coordinate variables, a
// dimension without a variable, a group with its own dimension) and an h5py file with scales
// attached on several axes (two on one axis, a label without a scale, a scale in a subgroup).
import path from "node:path";
import { python } from "./h5py";

export interface DimensionFiles {
  netcdf: string;
  scales: string;
}

export function makeDimensionFiles(dir: string): DimensionFiles {
  const files = { netcdf: path.join(dir, "clim.nc"), scales: path.join(dir, "scales.h5") };
  python(`import sys
import numpy as np, h5py, netCDF4
nc = netCDF4.Dataset(sys.argv[1], "w")
nc.createDimension("time", None)
nc.createDimension("lat", 3)
nc.createDimension("lon", 4)
nc.createDimension("nv", 2)
t = nc.createVariable("time", "f8", ("time",)); t.units = "days since 2000-01-01"
lat = nc.createVariable("lat", "f4", ("lat",)); lat[:] = [-10, 0, 10]
lon = nc.createVariable("lon", "f4", ("lon",)); lon[:] = [0, 90, 180, 270]
tas = nc.createVariable("tas", "f4", ("time", "lat", "lon"), fill_value=np.float32(1e20)); tas.units = "K"
t[0:5] = np.arange(5)
tas[0:5] = np.arange(60, dtype="f4").reshape(5, 3, 4) + 250
tas[1, 1, 1] = np.ma.masked
bnds = nc.createVariable("lat_bnds", "f8", ("lat", "nv")); bnds[:] = np.arange(6).reshape(3, 2)
g = nc.createGroup("sub")
g.createDimension("station", 2)
st = g.createVariable("station_temp", "i2", ("time", "station")); st[0:5] = np.arange(10).reshape(5, 2)
name = g.createVariable("station_name", str, ("station",)); name[0] = "Zürich"; name[1] = "Bern"
nc.close()
with h5py.File(sys.argv[2], "w") as f:
    d = f.create_dataset("data", data=np.arange(24.0).reshape(2, 3, 4))
    x = f.create_dataset("x", data=np.arange(4)); x.make_scale("x coordinate")
    x2 = f.create_dataset("x2", data=np.arange(4) * 2.0); x2.make_scale()
    y = f.create_dataset("grp/y", data=np.arange(3)); y.make_scale("y")
    d.dims[2].attach_scale(x); d.dims[2].attach_scale(x2); d.dims[1].attach_scale(y)
    d.dims[0].label = "z"; d.dims[2].label = "east"
    e = f.create_dataset("grp/e", data=np.ones((3, 4), dtype=">i4"))
    e.dims[0].attach_scale(y); e.dims[1].attach_scale(x)
    f.create_dataset("plain", data=[1, 2, 3])
print("[]")`, files.netcdf, files.scales);
  return files;
}
