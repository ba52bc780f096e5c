"""Run-time hook of the CultureScope bundle (run by the frozen program before the launcher).

It replaces three of PyInstaller's own run-time hooks, which the spec drops because they
ran at every start, ``culturescope --version`` included (docs/packaging.md, "Start-up"):

- ``pyi_rth_pyside6`` imported ``PySide6.QtCore`` (Qt's core library: about 150 ms of CPU)
  only to register the bundle's ``qt.conf`` (where Qt finds its plugins and translations)
  unless PySide6 had registered one itself, as PySide6 from PyPI does. Here the plugin
  path is set as it did, and the same check and registration run when something imports
  ``PySide6.QtCore`` for the first time: the app pays for it, ``score`` does not.
- ``pyi_rth_mplconfig`` pointed matplotlib at a new temporary folder in every process, so
  every process that drew a chart rebuilt matplotlib's font list first. Here matplotlib
  keeps that list in a per-user cache folder of CultureScope, as an installed matplotlib
  keeps it in the user's cache folder; ``MPLCONFIGDIR`` set by the user still wins.
- ``pyi_rth_multiprocessing`` imported multiprocessing for its child processes: CultureScope
  starts none (nothing to replace).
"""


def _culturescope_rthook() -> None:
    import os
    import sys

    if "MPLCONFIGDIR" not in os.environ:
        import platformdirs

        cache = platformdirs.user_cache_dir("CultureScope", appauthor=False)
        # matplotlib makes the folder when it first needs it (or warns and uses a
        # temporary one if it cannot): nothing is written for commands that draw nothing.
        os.environ["MPLCONFIGDIR"] = os.path.join(cache, "matplotlib")

    from _pyi_rth_utils import is_macos_app_bundle, prepend_path_to_environment_variable

    windows = sys.platform.startswith("win")
    qt_dir = os.path.join(sys._MEIPASS, "PySide6", *([] if windows else ["Qt"]))
    os.environ["QT_PLUGIN_PATH"] = os.path.join(qt_dir, "plugins")
    if windows:
        # QtNetwork finds OpenSSL's DLLs that PyInstaller may have put beside the others.
        prepend_path_to_environment_variable(sys._MEIPASS, "PATH")
    elif sys.platform == "darwin" and not is_macos_app_bundle:
        prepend_path_to_environment_variable(sys._MEIPASS, "DYLD_LIBRARY_PATH")

    class RegisterQtConf:
        """Import finder that registers ``qt.conf`` once ``PySide6.QtCore`` has loaded."""

        @classmethod
        def find_spec(cls, name, path=None, target=None):
            if name != "PySide6.QtCore":
                return None
            sys.meta_path.remove(cls)  # once; the real finders do the finding
            import importlib.util

            spec = importlib.util.find_spec(name)
            if spec is None or spec.loader is None:
                return spec
            load = spec.loader.exec_module

            def exec_module(module):
                load(module)
                from _pyi_rth_utils import qt

                # Only if PySide6 did not register one itself (as the original hook).
                qt.create_embedded_qt_conf("PySide6", qt_dir)

            spec.loader.exec_module = exec_module
            return spec

    sys.meta_path.insert(0, RegisterQtConf)


_culturescope_rthook()
del _culturescope_rthook
