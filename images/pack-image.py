#!/usr/bin/env python3
"""Packs a root filesystem folder into an image tarball, with no daemon and no registry.

usage: pack-image.py --dockerfile FILE --rootfs DIR --tag NAME:TAG --out FILE.tar [--build-arg K=V ...]

The image's settings (user, entrypoint, command, environment, working directory, labels, ports) come from the
Dockerfile, so `make images` and `docker build -f FILE DIR` give the same image from the same two inputs. Only the
subset our Dockerfiles use is understood (FROM scratch, ARG, COPY . /, ENV, USER, WORKDIR, ENTRYPOINT, CMD, LABEL,
EXPOSE); anything else is refused rather than silently ignored.

The output is a docker-archive (the `docker save` format, one uncompressed layer) that `docker load`, `podman load`,
`ctr images import`, `kind load image-archive` and `k3d image import` all accept. It is deterministic: files are
sorted, owned by root, with modification time 0, so the same inputs give the same layer digest.
"""
import argparse
import hashlib
import io
import json
import os
import re
import shlex
import stat
import sys
import tarfile

DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


class DockerfileError(Exception):
    pass


def logical_lines(text):
    """Joins backslash continuations and drops comments and blank lines."""
    pending = ""
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        yield number, pending + line
        pending = ""
    if pending:
        raise DockerfileError("the Dockerfile ends inside a continued line")


def substitute(value, args):
    def repl(match):
        name = match.group(1) or match.group(2)
        if name not in args:
            raise DockerfileError(f"${name} is used but no ARG declares it")
        return args[name]
    return re.sub(r"\$\{(\w+)\}|\$(\w+)", repl, value)


def key_values(rest, args, where):
    pairs = {}
    for word in shlex.split(rest):
        if "=" not in word:
            raise DockerfileError(f"{where}: '{word}' is not KEY=VALUE")
        key, value = word.split("=", 1)
        pairs[key] = substitute(value, args)
    return pairs


def parse_dockerfile(path, build_args):
    """Returns the image config the Dockerfile describes (the `config` object of an image's configuration)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    args, config, saw_from, saw_copy = {}, {"Env": [DEFAULT_PATH]}, False, False
    for number, line in logical_lines(text):
        where = f"{path}:{number}"
        instruction, _, rest = line.partition(" ")
        instruction, rest = instruction.upper(), rest.strip()
        if instruction == "FROM":
            if rest != "scratch":
                raise DockerfileError(f"{where}: only FROM scratch is supported (the root filesystem is built by make images)")
            saw_from = True
        elif instruction == "ARG":
            name, _, default = rest.partition("=")
            args[name] = build_args.get(name, default)
        elif instruction == "COPY":
            if rest.split() != [".", "/"]:
                raise DockerfileError(f"{where}: only 'COPY . /' (the whole root filesystem) is supported")
            saw_copy = True
        elif instruction == "ENV":
            for key, value in key_values(rest, args, where).items():
                config["Env"] = [e for e in config["Env"] if not e.startswith(key + "=")] + [f"{key}={value}"]
        elif instruction == "LABEL":
            config.setdefault("Labels", {}).update(key_values(rest, args, where))
        elif instruction == "USER":
            config["User"] = substitute(rest, args)
        elif instruction == "WORKDIR":
            config["WorkingDir"] = substitute(rest, args)
        elif instruction in ("ENTRYPOINT", "CMD"):
            try:
                value = json.loads(rest)
            except json.JSONDecodeError as e:
                raise DockerfileError(f"{where}: {instruction} must be a JSON array (exec form): {e}") from e
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise DockerfileError(f"{where}: {instruction} must be a JSON array of strings")
            config["Entrypoint" if instruction == "ENTRYPOINT" else "Cmd"] = value
        elif instruction == "EXPOSE":
            for port in rest.split():
                config.setdefault("ExposedPorts", {})[port if "/" in port else port + "/tcp"] = {}
        else:
            raise DockerfileError(f"{where}: {instruction} is not supported by pack-image.py")
    if not saw_from or not saw_copy:
        raise DockerfileError(f"{path}: needs FROM scratch and COPY . /")
    unused = set(build_args) - set(args)
    if unused:
        raise DockerfileError(f"{path}: no ARG for --build-arg {', '.join(sorted(unused))}")
    return config


def layer_tar(rootfs):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for dirpath, dirnames, filenames in os.walk(rootfs):
            dirnames.sort()
            for name in sorted(dirnames) + sorted(filenames):
                full = os.path.join(dirpath, name)
                info = t.gettarinfo(full, arcname=os.path.relpath(full, rootfs))
                info.uid = info.gid = 0
                info.uname = info.gname = "root"
                info.mtime = 0
                if info.isreg():
                    with open(full, "rb") as f:
                        t.addfile(info, f)
                else:
                    t.addfile(info)
    return buf.getvalue()


def check_tag(tag):
    name, sep, version = tag.rpartition(":")
    if not sep or "/" in version or not name:
        raise DockerfileError(f"--tag {tag}: give NAME:VERSION (an untagged image means :latest)")
    if version == "latest":
        raise DockerfileError(f"--tag {tag}: never :latest (a kubelet would try to pull it from a registry)")
    return name, version


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dockerfile", required=True)
    parser.add_argument("--rootfs", required=True)
    parser.add_argument("--tag", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--build-arg", action="append", default=[])
    a = parser.parse_args()
    try:
        name, version = check_tag(a.tag)
        build_args = dict(arg.split("=", 1) for arg in a.build_arg)
        image_config = parse_dockerfile(a.dockerfile, build_args)
    except DockerfileError as e:
        print(f"pack-image.py: {e}", file=sys.stderr)
        return 2
    if not os.path.isdir(a.rootfs):
        print(f"pack-image.py: --rootfs {a.rootfs} is not a folder", file=sys.stderr)
        return 2

    layer = layer_tar(a.rootfs)
    diff_id = "sha256:" + hashlib.sha256(layer).hexdigest()
    config = {
        "architecture": "amd64", "os": "linux", "created": "1970-01-01T00:00:00Z", "config": image_config,
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        "history": [{"created": "1970-01-01T00:00:00Z", "created_by": f"pack-image.py {os.path.basename(a.dockerfile)}"}],
    }
    config_bytes = json.dumps(config, sort_keys=True).encode()
    config_name = hashlib.sha256(config_bytes).hexdigest() + ".json"
    layer_dir = diff_id.split(":")[1]
    manifest = [{"Config": config_name, "RepoTags": [a.tag], "Layers": [layer_dir + "/layer.tar"]}]

    def add(t, member, data):
        info = tarfile.TarInfo(member)
        info.size, info.mtime, info.mode = len(data), 0, stat.S_IFREG | 0o644
        t.addfile(info, io.BytesIO(data))

    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    partial = a.out + ".partial"
    with tarfile.open(partial, "w") as t:
        add(t, config_name, config_bytes)
        add(t, layer_dir + "/layer.tar", layer)
        add(t, "manifest.json", json.dumps(manifest).encode())
        add(t, "repositories", json.dumps({name: {version: layer_dir}}).encode())
    os.replace(partial, a.out)
    print(f"{a.out}: {a.tag}, layer {diff_id[:19]}, {len(layer) / 1048576:.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
