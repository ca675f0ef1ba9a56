{
  "targets": [
    {
      "target_name": "scapkit_probe",
      "sources": ["src/addon/addon.cc", "src/addon/probe_loader.c"],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "src/addon",
        "src/bpf",
        "dist/bpf"
      ],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_CPP_EXCEPTIONS"],
      "cflags": ["-O2", "-Wall"],
      "cflags_cc": ["-O2", "-Wall", "-std=c++17"],
      "libraries": ["-lbpf", "-lelf", "-lz"]
    }
  ]
}
