//! 绿色金融 (green finance): the green industry catalogue as data and the rules that mark an enterprise green.
