<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- A deliberately broken translation for test_check_translations: one
     placeholder mismatch, one HTML-tag mismatch, one entry whose source is
     gone; every other source string is missing. -->
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>app::MainWindow</name>
    <message>
        <source>Saved the model to %1</source>
        <translation>模型已保存到 %2</translation>
    </message>
    <message>
        <source>Model in use: &lt;b&gt;%1&lt;/b&gt; (%2)&lt;br&gt;Architecture: &lt;code&gt;%3&lt;/code&gt;</source>
        <translation>正在使用的模型：%1（%2）&lt;br&gt;架构：&lt;code&gt;%3&lt;/code&gt;</translation>
    </message>
    <message>
        <source>A string that no source file has</source>
        <translation>源代码中没有的字符串</translation>
    </message>
    <message>
        <source>Open Model</source>
        <translation>打开模型</translation>
    </message>
</context>
</TS>
