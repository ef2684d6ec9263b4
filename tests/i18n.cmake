# Translations (issue 19). check_translations: every GUI string has a
# finished zh_CN translation with the source's placeholders and tags, and no
# translation is obsolete (lupdate into a temporary copy; ~5 s), and every
# plural string has its English singular and plural (digitpad_en.ts).
# test_check_translations: the check fails, naming the string, on a broken
# zh_CN and a broken English .ts. test_language: the language choice, the
# embedded translation and the English plural forms.
add_test(NAME check_translations
  COMMAND bash ${PROJECT_SOURCE_DIR}/scripts/check-translations --build-dir ${PROJECT_BINARY_DIR})
add_test(NAME test_check_translations
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/test_check_translations.sh ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR})
set_tests_properties(check_translations test_check_translations PROPERTIES LABELS i18n TIMEOUT 120)
digitpad_add_test(test_language SOURCES test_language.cpp LIBS digitpadgui GUI LABELS gui i18n)
if(TARGET test_language)
  digitpad_add_resources(test_language)
endif()

# Accessibility: every interactive widget of every page has an accessible
# name (English and Chinese), and Tab reaches each of them.
# The confusion matrix and the image grids: keyboard, accessible cells, and
# the Focus events a screen reader gets. Offscreen, Qt hands those events to
# an update handler only while its platform accessibility is switched on,
# which only Qt's private QPA API can do (qt6-base-private-dev).
# Qt 6.4 defines the Qt6::GuiPrivate target whether or not the private
# headers are installed, so look for the header itself.
if(TARGET Qt6::GuiPrivate)
  get_target_property(_digitpad_gui_private_dirs Qt6::GuiPrivate INTERFACE_INCLUDE_DIRECTORIES)
  find_file(DIGITPAD_QPA_INTEGRATION_H qpa/qplatformintegration.h PATHS ${_digitpad_gui_private_dirs} NO_DEFAULT_PATH)
endif()
if(NOT TARGET Qt6::GuiPrivate OR NOT DIGITPAD_QPA_INTEGRATION_H)
  message(FATAL_ERROR "test_accessibility needs Qt's private QPA headers (qpa/qplatformintegration.h; "
                      "Debian: qt6-base-private-dev, in scripts/lib/deps.sh's test packages)")
endif()
digitpad_add_test(test_accessibility SOURCES test_accessibility.cpp LIBS digitpadgui Qt6::GuiPrivate GUI LABELS gui i18n)
if(TARGET test_accessibility)
  digitpad_add_resources(test_accessibility)
endif()

# Themes: View > Theme switches the window live and is remembered; charts
# follow the palette and keep their series' colours.
digitpad_add_test(test_theme SOURCES test_theme.cpp LIBS digitpadgui GUI LABELS gui)
if(TARGET test_theme)
  digitpad_add_resources(test_theme)
endif()
