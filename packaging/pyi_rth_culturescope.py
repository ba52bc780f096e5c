"""Run-time hook of the CultureScope bundle (run by the frozen program before the launcher).

It replaces PyInstaller's own run-time hooks, which the spec drops because they ran at
every start, ``culturescope --version`` included, for things most commands never use
(docs/packaging.md, "Start-up"). What each did is now done when, and only if, the
module it concerns is first imported:

- ``pyi_rth_pyside6`` imported ``PySide6.QtCore`` (Qt's core library: about 150 ms of CPU)
  only to register the bundle's ``qt.conf`` (where Qt finds its plugins and translations)
  unless PySide6 had registered one itself, as PySide6 from PyPI does. The plugin path is
  still set here; the same check and registration run once ``PySide6.QtCore`` has loaded.
- ``pyi_rth_mplconfig`` pointed matplotlib at a new temporary folder in every process, so
  every process that drew a chart rebuilt matplotlib's font list first. When matplotlib is
  first imported, ``MPLCONFIGDIR`` is set to a per-user cache folder of CultureScope, as an
  installed matplotlib keeps that list in the user's cache folder; ``MPLCONFIGDIR`` set by
  the user still wins.
- ``pyi_rth_inspect`` and ``pyi_rth_pkgutil`` (they make ``inspect.getsourcefile`` and
  ``pkgutil.iter_modules`` work on frozen modules) imported inspect, zipfile and pkgutil;
  their own code, shipped in ``culturescope_rthooks/`` beside the bundle's modules, now
  runs right after ``inspect``/``pkgutil`` is first imported.
- ``pyi_rth_multiprocessing`` imported multiprocessing for its child processes: CultureScope
  starts none (nothing to replace).
"""


def _culturescope_rthook() -> None:
    import os
    import sys

    from _pyi_rth_utils import is_macos_app_bundle, prepend_path_to_environment_variable

    windows = sys.platform.startswith("win")
    qt_dir = os.path.join(sys._MEIPASS, "PySide6", *([] if windows else ["Qt"]))
    os.environ["QT_PLUGIN_PATH"] = os.path.join(qt_dir, "plugins")
    if windows:
        # QtNetwork finds OpenSSL's DLLs that PyInstaller may have put beside the others.
        prepend_path_to_environment_variable(sys._MEIPASS, "PATH")
    elif sys.platform == "darwin" and not is_macos_app_bundle:
        prepend_path_to_environment_variable(sys._MEIPASS, "DYLD_LIBRARY_PATH")

    def matplotlib_folder() -> None:
        if "MPLCONFIGDIR" not in os.environ:
            import platformdirs

            cache = platformdirs.user_cache_dir("CultureScope", appauthor=False)
            # matplotlib makes the folder when it needs it (or warns and uses a temporary
            # one if it cannot).
            os.environ["MPLCONFIGDIR"] = os.path.join(cache, "matplotlib")

    def qt_conf() -> None:
        from _pyi_rth_utils import qt

        qt.create_embedded_qt_conf("PySide6", qt_dir)

    def pyinstaller_hook(name: str):
        def run() -> None:
            path = os.path.join(sys._MEIPASS, "culturescope_rthooks", f"pyi_rth_{name}.py")
            with open(path, encoding="utf-8") as fh:
                exec(compile(fh.read(), path, "exec"), {"__name__": f"pyi_rth_{name}"})

        return run

    before = {"matplotlib": matplotlib_folder}
    after = {
        "PySide6.QtCore": qt_conf,
        "inspect": pyinstaller_hook("inspect"),
        "pkgutil": pyinstaller_hook("pkgutil"),
    }

    class Then:
        """A module's loader, and what to run once the module has loaded."""

        def __init__(self, loader, then) -> None:
            self.loader, self.then = loader, then

        def create_module(self, spec):
            return self.loader.create_module(spec)

        def exec_module(self, module) -> None:
            self.loader.exec_module(module)
            self.then()

        def __getattr__(self, name):  # get_source, get_resource_reader, ...
            return getattr(self.loader, name)

    class OnFirstImport:
        """Import finder that finds nothing itself: it runs the work above at the first
        import of each module concerned and leaves once all of it is done."""

        @classmethod
        def find_spec(cls, name, path=None, target=None):
            if name in before:
                before.pop(name)()
                cls.leave_when_done()
                return None  # the usual finders find matplotlib
            then = after.pop(name, None)
            if then is None:
                return None
            cls.leave_when_done()
            import importlib.util

            spec = importlib.util.find_spec(name)  # finds it without us: popped above
            if spec is not None and spec.loader is not None:
                spec.loader = Then(spec.loader, then)
            return spec

        @classmethod
        def leave_when_done(cls) -> None:
            if not before and not after and cls in sys.meta_path:
                sys.meta_path.remove(cls)

    # Anything imported already (by PyInstaller's own bootstrap) gets its work now.
    for table in (before, after):
        for name in [n for n in table if n in sys.modules]:
            table.pop(name)()
    sys.meta_path.insert(0, OnFirstImport)


_culturescope_rthook()
del _culturescope_rthook
