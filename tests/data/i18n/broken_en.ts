<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- A deliberately broken English (plural-only) translation for
     test_check_translations: "Finished %n epoch(s)" has its singular only,
     "Stopped after %n complete epoch(s)" copies the source into its forms,
     one entry is not a plural one; every other plural string is missing. -->
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>app::TrainingPanel</name>
    <message numerus="yes">
        <source>Finished %n epoch(s)</source>
        <translation>
            <numerusform>Finished %n epoch</numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Stopped after %n complete epoch(s)</source>
        <translation>
            <numerusform>Stopped after %n complete epoch(s)</numerusform>
            <numerusform>Stopped after %n complete epoch(s)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> on %n image(s)</source>
        <translation>
            <numerusform> on %n image</numerusform>
            <numerusform> on %n images</numerusform>
        </translation>
    </message>
    <message>
        <source>validation</source>
        <translation>validation</translation>
    </message>
</context>
</TS>
