"""Parses Python files with the ast module and lists what they call and import (export tests).

Usage: python check_python.py FILE...
Prints one JSON object: {file: {"ok": true, "calls": [...], "imports": [...], "strings": [...]} or
{"ok": false, "error": text}}. Calls are dotted names as written (`beam.Map`, `F.expr`,
`SparkSession.builder.appName`); strings are every string constant, to check what literals hold.
"""
import ast
import json
import sys


def dotted(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else node.attr
    if isinstance(node, ast.Call):
        return dotted(node.func)
    return None


def inspect(path):
    with open(path, encoding="utf-8") as f:
        source = f.read()
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as e:
        return {"ok": False, "error": f"{e.msg} at line {e.lineno}"}
    calls, imports, strings = set(), set(), []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = dotted(node.func)
            if name:
                calls.add(name)
        elif isinstance(node, ast.Import):
            imports.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imports.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            strings.append(node.value)
    return {"ok": True, "calls": sorted(calls), "imports": sorted(imports), "strings": strings}


if __name__ == "__main__":
    print(json.dumps({path: inspect(path) for path in sys.argv[1:]}))
