<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>app::ConfusionView</name>
    <message numerus="yes">
        <location filename="../app/panels/confusion_view.cpp" line="+76"/>
        <source>True %1, predicted %2: %n image(s), %3 of the %1s</source>
        <extracomment>%1 true label, %2 predicted label, %n images in the cell, %3 their share of all images of true label %1</extracomment>
        <translation>
            <numerusform>True %1, predicted %2: %n image, %3 of the %1s</numerusform>
            <numerusform>True %1, predicted %2: %n images, %3 of the %1s</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>app::EmbeddingPanel</name>
    <message numerus="yes">
        <location filename="../app/panels/embedding_view.cpp" line="+493"/>
        <source>%n image(s) selected: Browse MNIST shows just these.</source>
        <translation>
            <numerusform>%n image selected: Browse MNIST shows just it.</numerusform>
            <numerusform>%n images selected: Browse MNIST shows just these.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>app::EvaluationPanel</name>
    <message numerus="yes">
        <location filename="../app/panels/evaluation_panel.cpp" line="+476"/>
        <source>%1 taken for %2:  %n image(s)  (%3% of the %1s)</source>
        <extracomment>%1 true label, %2 predicted label, %n images, %3 their share of all images of true label %1</extracomment>
        <translation>
            <numerusform>%1 taken for %2:  %n image  (%3% of the %1s)</numerusform>
            <numerusform>%1 taken for %2:  %n images  (%3% of the %1s)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+21"/>
        <source>&lt;b&gt;%1&lt;/b&gt; set: %Ln image(s) · accuracy &lt;b&gt;%2%&lt;/b&gt; · %3 misclassified · loss %4 · ECE %5%</source>
        <translation>
            <numerusform>&lt;b&gt;%1&lt;/b&gt; set: %Ln image · accuracy &lt;b&gt;%2%&lt;/b&gt; · %3 misclassified · loss %4 · ECE %5%</numerusform>
            <numerusform>&lt;b&gt;%1&lt;/b&gt; set: %Ln images · accuracy &lt;b&gt;%2%&lt;/b&gt; · %3 misclassified · loss %4 · ECE %5%</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+53"/>
        <source>True %1, predicted %1 (correct): %n image(s)</source>
        <translation>
            <numerusform>True %1, predicted %1 (correct): %n image</numerusform>
            <numerusform>True %1, predicted %1 (correct): %n images</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>True %1, predicted %2: %n image(s)</source>
        <translation>
            <numerusform>True %1, predicted %2: %n image</numerusform>
            <numerusform>True %1, predicted %2: %n images</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>app::HealthTable</name>
    <message numerus="yes">
        <location filename="../app/panels/health_view.cpp" line="+80"/>
        <source>Step %1: %n layer(s) with half or more of their units dead</source>
        <translation>
            <numerusform>Step %1: %n layer with half or more of its units dead</numerusform>
            <numerusform>Step %1: %n layers with half or more of their units dead</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>app::LayerStrip</name>
    <message numerus="yes">
        <location filename="../app/panels/layer_view.cpp" line="+100"/>
        <source>%n map(s), values from %1 to %2</source>
        <translation>
            <numerusform>%n map, values from %1 to %2</numerusform>
            <numerusform>%n maps, values from %1 to %2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>app::MnistBrowser</name>
    <message numerus="yes">
        <location filename="../app/panels/mnist_browser.cpp" line="+735"/>
        <source>Only the %n image(s) chosen on the embedding map.</source>
        <translation>
            <numerusform>Only the %n image chosen on the embedding map.</numerusform>
            <numerusform>Only the %n images chosen on the embedding map.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>app::NumberView</name>
    <message numerus="yes">
        <location filename="../app/panels/number_view.cpp" line="+133"/>
        <source>a number of %n digit(s), %1 sure</source>
        <translation>
            <numerusform>a number of %n digit, %1 sure</numerusform>
            <numerusform>a number of %n digits, %1 sure</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>app::RunsPanel</name>
    <message numerus="yes">
        <location filename="../app/panels/runs_panel.cpp" line="+644"/>
        <source>Delete Runs and %n Model File(s)</source>
        <translation>
            <numerusform>Delete Runs and %n Model File</numerusform>
            <numerusform>Delete Runs and %n Model Files</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>app::TrainingPanel</name>
    <message numerus="yes">
        <location filename="../app/panels/training_plan.cpp" line="+193"/>
        <source>Finished %n epoch(s)</source>
        <translation>
            <numerusform>Finished %n epoch</numerusform>
            <numerusform>Finished %n epochs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Stopped early after %n epoch(s) (best weights restored)</source>
        <translation>
            <numerusform>Stopped early after %n epoch (best weights restored)</numerusform>
            <numerusform>Stopped early after %n epochs (best weights restored)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>Stopped after %n complete epoch(s) and %1 of %2 images of epoch %3</source>
        <translation>
            <numerusform>Stopped after %n complete epoch and %1 of %2 images of epoch %3</numerusform>
            <numerusform>Stopped after %n complete epochs and %1 of %2 images of epoch %3</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>Stopped after %n complete epoch(s)</source>
        <translation>
            <numerusform>Stopped after %n complete epoch</numerusform>
            <numerusform>Stopped after %n complete epochs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+26"/>
        <source> on %n image(s)</source>
        <translation>
            <numerusform> on %n image</numerusform>
            <numerusform> on %n images</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>app::TrainingRunView</name>
    <message numerus="yes">
        <location filename="../app/panels/training_run_view.cpp" line="+186"/>
        <source>finished: %n epoch(s)</source>
        <translation>
            <numerusform>finished: %n epoch</numerusform>
            <numerusform>finished: %n epochs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>stopped early after %n epoch(s)</source>
        <translation>
            <numerusform>stopped early after %n epoch</numerusform>
            <numerusform>stopped early after %n epochs</numerusform>
        </translation>
    </message>
</context>
</TS>
