% Writes the Octave-made MAT-file fixtures for tests/NeuralStyle.Tests/Mat.
% Called by make_mat_fixtures.py (which also writes the expected values by reading the files back with
% scipy.io.loadmat); run by hand as:
%   octave --no-gui --quiet make_mat_fixtures.m OUTDIR WORKDIR
% WORKDIR is a scratch directory for the @pt class folder that the object fixture needs.
args = argv();
outdir = args{1};
workdir = args{2};

% A spread of variables, saved both as -v6 (uncompressed) and -v7 (compressed).
d_mat = reshape([1.5 -2.25 3 4e10 -5e-10 6 7 8 9 10 11 12], 3, 4);
d_intvalued = [0 1 2; 200 255 -3];
s_mat = single([1.25 2.5 -3.75; 4 5 6]);
i8 = int8([-128 -1 0 127]);
u8 = uint8([0 1 254 255]);
i16 = int16([-32768; 12345; 32767]);
u16 = uint16([0 65535 4242]);
i32 = int32([-2147483648 2147483647 7]);
u32 = uint32([0 4294967295 99]);
i64 = int64([-9007199254740993 9007199254740993 -3]);
u64 = uint64([0 18446744073709551615 12345678901234567]);
c_double = [1+2i, -3.5-4i; 0+1i, 5];
c_single = single([1+1i 2-2i 3]);
b_logical = logical([1 0 1; 0 0 1]);
str_ascii = 'Hello, MAT-file';
str_multi = ['abc'; 'def'; 'ghi'];
str_empty = '';
cell_mixed = {1, 'two'; [3 4 5], {6, 'seven'}};
cell_empty = {};
s_nested.alpha = 1;
s_nested.beta.gamma = 'inner';
s_nested.beta.delta = [1 2; 3 4];
s_array(1).x = 1;
s_array(2).x = 'second';
s_array(3).x = [7 8 9];
s_array(1).y = int8(-1);
e_empty = [];
e_zero_by_three = zeros(0, 3);
sp_double = sparse([1 3 4 2], [1 2 2 5], [10 -20 30 0.5], 4, 5);
sp_complex = sparse([1 2], [2 2], [1+2i 3-4i], 3, 3);
nd3 = reshape(1:24, 2, 3, 4);
nd4 = reshape(single(1:120) / 4, 2, 3, 4, 5);
global g_global
g_global = 42;
vars = {'d_mat', 'd_intvalued', 's_mat', 'i8', 'u8', 'i16', 'u16', 'i32', 'u32', 'i64', 'u64', ...
        'c_double', 'c_single', 'b_logical', 'str_ascii', 'str_multi', 'str_empty', ...
        'cell_mixed', 'cell_empty', 's_nested', 's_array', 'e_empty', 'e_zero_by_three', ...
        'sp_double', 'sp_complex', 'nd3', 'nd4', 'g_global'};
save('-v6', fullfile(outdir, 'octave-v6.mat'), vars{:});
save('-v7', fullfile(outdir, 'octave-v7.mat'), vars{:});

% Octave 7 writes a logical sparse matrix with class uint8 (not sparse) around sparse data: scipy.io.loadmat
% fails on it too. Kept to check that the reader rejects it cleanly rather than misreading it.
sp_logical = sparse([1 2 3], [1 3 3], true(1, 3), 3, 4);
save('-v6', fullfile(outdir, 'octave-sparse-logical.mat'), 'sp_logical');

% Level 4 and HDF5: only for the refusal tests.
save('-v4', fullfile(outdir, 'octave-v4.mat'), 'd_mat');
save('-hdf5', fullfile(outdir, 'octave-hdf5.mat'), 'd_mat');

% An old-style @class object, which Octave writes as MAT class 3 (object) with its class name.
classdir = fullfile(workdir, '@pt');
mkdir(classdir);
fid = fopen(fullfile(classdir, 'pt.m'), 'w');
fprintf(fid, 'function p = pt(x)\n  s.x = x;\n  s.label = sprintf(''pt%%d'', x);\n  p = class(s, ''pt'');\nend\n');
fclose(fid);
addpath(workdir);
obj_point = pt(3);
% Octave writes an object's miMATRIX length 4 bytes too long: harmless for the last variable of a -v6 file
% and inside a -v7 compressed element (whose own length is right), which is what these two files hold.
save('-v6', fullfile(outdir, 'octave-object.mat'), 'obj_point');
after_object = 'after';
save('-v7', fullfile(outdir, 'octave-object-v7.mat'), 'obj_point', 'after_object');
